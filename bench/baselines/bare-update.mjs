/**
 * The least a process can do to change one paragraph of a page: a bare GET of the body and a PUT of
 * it at version + 1, nothing checked, nothing kept. argv: API URL, cloud ID, page ID, access token,
 * the index of the paragraph among the top-level blocks, the words to append.
 */
const [apiUrl, cloudId, id, token, block, words] = process.argv.slice(2);
const url = `${apiUrl}/ex/confluence/${cloudId}/wiki/api/v2/pages/${id}`;
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const page = await (await fetch(`${url}?body-format=atlas_doc_format`, { headers })).json();
const doc = JSON.parse(page.body.atlas_doc_format.value);
doc.content[Number(block)].content.push({ type: 'text', text: ` ${words}` });
const put = await fetch(url, {
  method: 'PUT',
  headers,
  body: JSON.stringify({ id, status: 'current', title: page.title, version: { number: page.version.number + 1 }, body: { representation: 'atlas_doc_format', value: JSON.stringify(doc) } }),
});
if (!put.ok) throw new Error(`PUT answered ${put.status}`);
