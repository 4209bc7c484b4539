// Sign or verify with Digital Bazaar's Ed25519Signature2018 suite (an independent
// implementation: jws-linked-data-signature over jsonld-signatures), offline.
// stdin: {"action": "generate"|"sign"|"verify", "document": {...},
//         "documents": {url: doc}, "key": {Ed25519VerificationKey2018 with
//         privateKeyBase58, for sign}, "created": "..."}
// stdout: {"key": {...}} | {"document": signed} | {"verified": bool, "error": "..."}
import {Ed25519VerificationKey2018} from '@digitalbazaar/ed25519-verification-key-2018';
import {Ed25519Signature2018} from '@digitalbazaar/ed25519-signature-2018';
import jsigs from 'jsonld-signatures';
import {offlineLoader, readRequest} from './offline.mjs';

const {purposes: {AssertionProofPurpose}} = jsigs;

const request = await readRequest();
const documentLoader = offlineLoader(request.documents);

let out;
if(request.action === 'generate') {
  const key = await Ed25519VerificationKey2018.generate();
  out = {key: key.export({publicKey: true, privateKey: true})};
} else if(request.action === 'sign') {
  const key = await Ed25519VerificationKey2018.from(request.key);
  const suite = new Ed25519Signature2018({key, date: request.created});
  const document = await jsigs.sign(request.document, {
    suite, purpose: new AssertionProofPurpose(), documentLoader
  });
  out = {document};
} else {
  const suite = new Ed25519Signature2018();
  const result = await jsigs.verify(request.document, {
    suite, purpose: new AssertionProofPurpose(), documentLoader
  });
  out = {verified: result.verified, error: result.error ? String(result.error.errors || result.error) : null};
}
process.stdout.write(JSON.stringify(out));
