// What every cross-check script shares: the JSON request on stdin and a document
// loader that serves only the documents the request carries (no network, ever).

export async function readRequest() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export function offlineLoader(documents = {}) {
  return async url => {
    const doc = documents[url] ?? documents[url.split('#')[0]];
    if(doc === undefined) throw new Error(`offline loader: ${url} not given`);
    return {contextUrl: null, documentUrl: url, document: doc};
  };
}
