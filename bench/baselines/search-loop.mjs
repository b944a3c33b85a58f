// Baseline: walk every page of a CQL search (v1 /wiki/rest/api/search, 250 a page) with fetch and print
// the hits as one JSON array, as `pages search --all --json` does. Usage: node search-loop.mjs API_URL CLOUD_ID TOKEN CQL
const [apiUrl, cloudId, token, cql] = process.argv.slice(2);
const out = [];
let count = 0;
let next = `/rest/api/search?${new URLSearchParams({ cql, limit: '250' })}`;
while (next) {
  const response = await fetch(`${apiUrl}/ex/confluence/${cloudId}/wiki${next}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = await response.json();
  for (const hit of body.results) out.push(`${count++ === 0 ? '\n' : ',\n'}  ${JSON.stringify(hit)}`);
  next = body._links?.next;
}
process.stdout.write(`[${out.join('')}${count ? '\n' : ''}]\n`);
