// `npm start`'s own tests: the up-to-date check and the supervision policy (pure, fake clock and
// children), and the demo's enrolment against a real nester (test/).
module.exports = require('../../jest.preset.js')(__dirname);
