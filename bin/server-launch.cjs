// What the VS Code client starts: the server bundle next to this file, loaded
// through V8's code cache like bin/posology-server.js does. `npm run bundle`
// copies this file and load-bundle.cjs into dist/server/.
const path = require('node:path');

require('./load-bundle.cjs').loadBundle(path.join(__dirname, 'main.cjs'));
