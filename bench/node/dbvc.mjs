// Times Digital Bazaar's stack (@digitalbazaar/vc + eddsa-rdfc-2022, rdf-canonize) for
// bench/bench_node.py. Request on stdin (JSON): {contexts: {url: doc}, key: {publicKeyMultibase,
// secretKeyMultibase}, created, credentials: {name: doc}, nquads: {name: text}, seconds}.
// Answer on stdout: per credential the proofValue and sign/verify ms per call (best of 5
// batches), per N-Quads input the canonicalisation ms. Offline: the loader serves only the
// request's contexts and the signing key's did:key document.
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as canonize from 'rdf-canonize';

async function readRequest() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function bestOf(fn, seconds) {
  let best = Infinity;
  for(let round = 0; round < 5; round++) {
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      await fn();
      n++;
      elapsed = performance.now() - start;
    } while(elapsed < seconds * 1000);
    best = Math.min(best, elapsed / n);
  }
  return best;
}

const req = await readRequest();
const did = `did:key:${req.key.publicKeyMultibase}`;
const vmId = `${did}#${req.key.publicKeyMultibase}`;
const keyPair = await Ed25519Multikey.from({
  id: vmId, controller: did, type: 'Multikey',
  publicKeyMultibase: req.key.publicKeyMultibase,
  secretKeyMultibase: req.key.secretKeyMultibase
});
const vm = {
  '@context': 'https://w3id.org/security/multikey/v1',
  id: vmId, type: 'Multikey', controller: did,
  publicKeyMultibase: req.key.publicKeyMultibase
};
const didDoc = {
  '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
  id: did, verificationMethod: [vm], assertionMethod: [vmId]
};
const documents = {...req.contexts, [did]: didDoc, [vmId]: vm};
const documentLoader = async url => {
  const doc = documents[url] ?? (url.startsWith(did) ? documents[did] : undefined);
  if(doc === undefined) throw new Error(`offline loader: ${url} not given`);
  return {contextUrl: null, documentUrl: url, document: structuredClone(doc)};
};
const checkStatus = async () => ({verified: true});
const now = new Date(req.created);

const out = {credentials: {}, nquads: {}};
for(const [name, credential] of Object.entries(req.credentials)) {
  const sign = () => vc.issue({
    credential: structuredClone(credential), documentLoader, now,
    suite: new DataIntegrityProof({
      signer: keyPair.signer(), cryptosuite: eddsaRdfc2022, date: req.created
    })
  });
  const signed = await sign();
  const verify = () => vc.verifyCredential({
    credential: signed, documentLoader, checkStatus, now,
    suite: new DataIntegrityProof({cryptosuite: eddsaRdfc2022})
  });
  const result = await verify();
  out.credentials[name] = {
    proofValue: signed.proof.proofValue,
    verified: result.verified,
    error: result.verified ? null : String(result.error?.errors?.[0] ?? result.error),
    sign_ms: await bestOf(sign, req.seconds),
    verify_ms: await bestOf(verify, req.seconds)
  };
}
const opts = {algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads',
  format: 'application/n-quads', maxWorkFactor: 3};
for(const [name, text] of Object.entries(req.nquads)) {
  const canonical = await canonize.canonize(text, opts);
  out.nquads[name] = {
    canonical, ms: await bestOf(() => canonize.canonize(text, opts), req.seconds)
  };
}
process.stdout.write(JSON.stringify(out));
