#!/usr/bin/env node
import '../out/server/src/lsp/main.js';
