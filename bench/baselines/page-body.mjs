// Baseline: fetch one page with its ADF body and write the body (the JSON string Confluence sends),
// as `pages get --format adf` prints a page. Usage: node page-body.mjs API_URL CLOUD_ID PAGE_ID TOKEN
const [apiUrl, cloudId, pageId, token] = process.argv.slice(2);
const response = await fetch(`${apiUrl}/ex/confluence/${cloudId}/wiki/api/v2/pages/${pageId}?body-format=atlas_doc_format`, {
  headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
});
if (!response.ok) throw new Error(`HTTP ${response.status}`);
const page = await response.json();
process.stdout.write(`${page.body.atlas_doc_format.value}\n`);
