// Sign or verify with Digital Bazaar's ecdsa-rdfc-2019 cryptosuite (an independent
// implementation), offline: every URL the suite dereferences comes from the request.
// stdin: {"action": "sign"|"verify", "document": {...}, "documents": {url: doc},
//         "key": {multikey with secretKeyMultibase, for sign}, "created": "..."}
// stdout: {"document": signed} or {"verified": bool, "error": "..."}
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {cryptosuite} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import jsigs from 'jsonld-signatures';
import {offlineLoader, readRequest} from './offline.mjs';

const {purposes: {AssertionProofPurpose}} = jsigs;

const request = await readRequest();
const documentLoader = offlineLoader(request.documents);

let out;
if(request.action === 'sign') {
  const key = await EcdsaMultikey.from(request.key);
  const suite = new DataIntegrityProof({
    signer: key.signer(), cryptosuite, date: request.created
  });
  const document = await jsigs.sign(request.document, {
    suite, purpose: new AssertionProofPurpose(), documentLoader
  });
  out = {document};
} else if(request.action === 'generate') {
  const key = await EcdsaMultikey.generate({curve: request.curve});
  const exported = await key.export({publicKey: true, secretKey: true, includeContext: true});
  out = {key: exported};
} else {
  const suite = new DataIntegrityProof({cryptosuite});
  const result = await jsigs.verify(request.document, {
    suite, purpose: new AssertionProofPurpose(), documentLoader
  });
  out = {verified: result.verified, error: result.error ? String(result.error.errors || result.error) : null};
}
process.stdout.write(JSON.stringify(out));
