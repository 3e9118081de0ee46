// One line when a phase starts and one when it ends, so a long run shows where it is.

export type Progress = (line: string) => void;

export async function phase<T>(progress: Progress, name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  progress(`▶ ${name}`);
  try {
    const result = await work();
    progress(`✔ ${name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return result;
  } catch (error) {
    progress(`✘ ${name} (${((performance.now() - started) / 1000).toFixed(1)} s): ${(error as Error).message}`);
    throw error;
  }
}
