// Header maps as API Gateway treats them: names keep the spelling first seen, and are compared
// without regard to case.

export function headerValue(headers: Record<string, string>, lowerName: string): string | undefined {
  const key = headerKey(headers, lowerName);
  return key === undefined ? undefined : headers[key];
}

/** Sets a header, replacing one of the same name in any case, keeping the first spelling. */
export function setHeader(headers: Record<string, string>, name: string, value: string): void {
  headers[headerKey(headers, name.toLowerCase()) ?? name] = value;
}

/** The key spelling `lowerName` in any case; lengths first, as most names differ in length. */
function headerKey(headers: Record<string, string>, lowerName: string): string | undefined {
  for (const key in headers) if (key.length === lowerName.length && key.toLowerCase() === lowerName) return key;
  return undefined;
}
