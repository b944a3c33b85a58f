// Baseline: the least a process can do to ask the API one question. One fetch with the bearer token,
// the JSON parsed, one line printed. Usage: node one-fetch.mjs URL TOKEN
const [url, token] = process.argv.slice(2);
const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
if (!response.ok) throw new Error(`HTTP ${response.status}`);
const body = await response.json();
process.stdout.write(`${JSON.stringify(body).length} bytes\n`);
