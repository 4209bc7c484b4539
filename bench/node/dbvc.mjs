// Times Digital Bazaar's stack (@digitalbazaar/vc + eddsa-rdfc-2022 and ecdsa-rdfc-2019,
// rdf-canonize) for bench/bench_node.py. Request on stdin (JSON): {contexts: {url: doc},
// key: {publicKeyMultibase, secretKeyMultibase}, created, credentials: {name: doc},
// ecdsa: {curve: {key: Multikey with id, controller and secretKeyMultibase,
// credentials: {name: doc}, ours: {name: our signed doc}}}, nquads: {name: text}, seconds}.
// Answer on stdout: per credential the proofValue and sign/verify ms per call (best of 5
// batches); per ECDSA curve and credential whether Digital Bazaar verifies ours, its own
// signed credential and what it hashed for it (the oracle: ECDSA signatures are random),
// and sign/verify ms; per N-Quads input the canonicalisation ms. Offline: the loader
// serves only the request's contexts and the signing keys' did:key documents.
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {cryptosuite as ecdsaRdfc2019} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
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

// did:key documents of a public key, by URL: the DID and its one verification method.
function didKeyDocuments(publicKeyMultibase) {
  const did = `did:key:${publicKeyMultibase}`;
  const vmId = `${did}#${publicKeyMultibase}`;
  const vm = {
    '@context': 'https://w3id.org/security/multikey/v1',
    id: vmId, type: 'Multikey', controller: did, publicKeyMultibase
  };
  const didDoc = {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did, verificationMethod: [vm], assertionMethod: [vmId]
  };
  return {[did]: didDoc, [vmId]: vm};
}

const req = await readRequest();
const did = `did:key:${req.key.publicKeyMultibase}`;
const keyPair = await Ed25519Multikey.from({
  id: `${did}#${req.key.publicKeyMultibase}`, controller: did, type: 'Multikey',
  publicKeyMultibase: req.key.publicKeyMultibase,
  secretKeyMultibase: req.key.secretKeyMultibase
});
const ecdsa = req.ecdsa ?? {};
const documents = {...req.contexts, ...didKeyDocuments(req.key.publicKeyMultibase)};
for(const {key} of Object.values(ecdsa)) {
  Object.assign(documents, didKeyDocuments(key.publicKeyMultibase));
}
const documentLoader = async url => {
  const doc = documents[url] ?? documents[url.split('#')[0]];
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

// ecdsa-rdfc-2019 with every canonize and the hash data it signs recorded: the oracle
// compares them with ours. Used for one signing per credential, never for timing.
function recordingSuite(seen) {
  const suite = {
    ...ecdsaRdfc2019,
    async canonize(input, options) {
      const nquads = await ecdsaRdfc2019.canonize(input, options);
      seen[input.type === 'DataIntegrityProof' ? 'proof' : 'document'] = nquads;
      return nquads;
    },
    async createVerifyData(options) {
      const data = await ecdsaRdfc2019.createVerifyData({...options, cryptosuite: suite});
      seen.hashData = Buffer.from(data).toString('hex');
      return data;
    }
  };
  return suite;
}

out.ecdsa = {};
for(const [curve, {key, credentials, ours}] of Object.entries(ecdsa)) {
  const signer = (await EcdsaMultikey.from(key)).signer();
  out.ecdsa[curve] = {};
  for(const [name, credential] of Object.entries(credentials)) {
    const issue = cryptosuite => vc.issue({
      credential: structuredClone(credential), documentLoader, now,
      suite: new DataIntegrityProof({signer, cryptosuite, date: req.created})
    });
    const stages = {};
    const signed = await issue(recordingSuite(stages));
    const verify = () => vc.verifyCredential({
      credential: ours[name], documentLoader, checkStatus, now,
      suite: new DataIntegrityProof({cryptosuite: ecdsaRdfc2019})
    });
    const result = await verify();
    out.ecdsa[curve][name] = {
      signed, stages,
      verified: result.verified,
      error: result.verified ? null : String(result.error?.errors?.[0] ?? result.error),
      sign_ms: await bestOf(() => issue(ecdsaRdfc2019), req.seconds),
      verify_ms: await bestOf(verify, req.seconds)
    };
  }
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
