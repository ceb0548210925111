// What the VS Code client starts: the server bundle next to this file, loaded
// through V8's code cache like bin/posology-server.js does. `npm run bundle`
// copies this file, load-bundle.cjs and snapshot.cjs into dist/server/. Started
// without the startup snapshot, it has one built for the next start.
const path = require('node:path');

require('./load-bundle.cjs').loadBundle(path.join(__dirname, 'main.cjs'));
require('./snapshot.cjs').buildLater(__dirname);
