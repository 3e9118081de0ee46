// make dev's watcher: the files the last build and synth read (esbuild's metafile, synth's loaded
// modules), plus folder trees where a new file can appear (functions/). It watches the folders
// that hold those files, not the files: an editor that saves by renaming a new file over the old
// one replaces the inode, which a watch on the file itself would lose.
import { watch, type FSWatcher } from "node:fs";
import { dirname, join } from "node:path";

export interface WatchOptions {
  /** The files to watch, asked again after every run (a build may read new ones). */
  files(): Iterable<string>;
  /** Folders watched whole, for files that no build has read yet. */
  trees: string[];
  /** Runs once per burst of changes, never two at once; changes during a run make one more run. */
  onChange(changed: Set<string>): Promise<unknown>;
  /** How long a burst stays quiet before the run. Default 30 ms: editors write a save in one go. */
  quietMs?: number;
  /** Sees every file event, wanted or not (tests wait on it instead of sleeping). */
  onEvent?(file: string, wanted: boolean): void;
}

export interface Watching {
  close(): void;
}

/** Editor droppings: swap files, backups, dotfiles. */
const IGNORED = /(^|\/)\.[^/]*\.sw.$|~$|(^|\/)\.#|\.tmp$/;

export function watchInputs({ files, trees, onChange, quietMs = 30, onEvent }: WatchOptions): Watching {
  let wanted = new Set<string>();
  const folders = new Map<string, FSWatcher>();
  const treeWatchers: FSWatcher[] = [];
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let closed = false;

  const seen = (file: string, fromTree: boolean) => {
    const want = !IGNORED.test(file) && (fromTree || wanted.has(file));
    onEvent?.(file, want);
    if (!want) return;
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(run, quietMs);
  };
  const run = () => {
    if (running || closed || pending.size === 0) return;
    running = true;
    const changed = new Set(pending);
    pending.clear();
    void onChange(changed)
      .catch(() => {})
      .finally(() => {
        running = false;
        refresh();
        if (pending.size) run();
      });
  };
  const refresh = () => {
    if (closed) return;
    wanted = new Set(files());
    const needed = new Set([...wanted].map((file) => dirname(file)));
    for (const [folder, watcher] of folders) {
      if (needed.has(folder)) continue;
      watcher.close();
      folders.delete(folder);
    }
    for (const folder of needed) {
      if (folders.has(folder)) continue;
      try {
        folders.set(folder, watch(folder, (_event, name) => name && seen(join(folder, String(name)), false)));
      } catch {
        // A folder that is gone: the next build says what is missing.
      }
    }
  };
  for (const tree of trees) treeWatchers.push(watch(tree, { recursive: true }, (_event, name) => name && seen(join(tree, String(name)), true)));
  refresh();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      for (const watcher of [...folders.values(), ...treeWatchers]) watcher.close();
      folders.clear();
    },
  };
}
