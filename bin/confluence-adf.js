#!/usr/bin/env node
import { main } from '../dist/src/cli/entry.js';
main();
