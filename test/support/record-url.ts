/** A $BROWSER that only records the URL it was asked to open, for a test that drives a real browser. */
import fs from 'node:fs';

fs.writeFileSync(process.env.RECORDED_URL_FILE!, process.argv[process.argv.length - 1]!);
