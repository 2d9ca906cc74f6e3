// Runs every GraphQL over HTTP audit of the graphql-http package against
// the server at the URL given as the first argument, prints one line per
// audit, and exits with status 1 unless every audit passes.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs http://127.0.0.1:8080/query');
  process.exit(2);
}

const results = await auditServer({ url });
let failed = 0;
for (const result of results) {
  const mark = result.status === 'ok' ? 'ok  ' : result.status;
  if (result.status !== 'ok') {
    failed++;
  }
  const detail = result.status === 'ok' ? '' : ` (${result.reason})`;
  console.log(`${mark} ${result.id} ${result.name}${detail}`);
}

console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
