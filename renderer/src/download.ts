/** Saves data from the host as a download: text, or bytes the host sent as base64. */
export function download(name: string, data: { text: string } | { base64: string }, type: string): void {
  const body = 'text' in data ? data.text : Uint8Array.from(atob(data.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([body], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // (Revoked later: some browsers start reading the blob only after click() returns.)
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
