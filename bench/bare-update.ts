/**
 * The yardstick of bench/page-update: the least a process can do to change one paragraph of a page,
 * a bare GET of the body and a PUT of the same body at version + 1, with nothing checked or kept.
 * Arguments: API URL, cloud id, page id, access token, top-level block index, words to append.
 */
const [apiUrl, cloudId, id, token, block, words] = process.argv.slice(2) as [string, string, string, string, string, string];
const url = `${apiUrl}/ex/confluence/${cloudId}/wiki/api/v2/pages/${id}`;
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const page = (await (await fetch(`${url}?body-format=atlas_doc_format`, { headers })).json()) as {
  title: string;
  version: { number: number };
  body: { atlas_doc_format: { value: string } };
};
const doc = JSON.parse(page.body.atlas_doc_format.value) as { content: { content: { type: string; text?: string }[] }[] };
doc.content[Number(block)]!.content.push({ type: 'text', text: ` ${words}` });
const put = await fetch(url, {
  method: 'PUT',
  headers,
  body: JSON.stringify({ id, status: 'current', title: page.title, version: { number: page.version.number + 1 }, body: { representation: 'atlas_doc_format', value: JSON.stringify(doc) } }),
});
if (!put.ok) throw new Error(`PUT answered ${put.status}`);
