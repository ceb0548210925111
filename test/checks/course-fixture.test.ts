// test/helpers/course-label.ts: the course label and its clean protocol check clean.
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/checks/analysis.js';
import { checkCourse, course, courseLabels } from '../helpers/course-label.js';

describe('checks: the course-label fixture', () => {
  it('the course label and the bortezomib label check clean', () => {
    for (const label of courseLabels()) assert.deepEqual(analyze([label])[0].findings.map((item) => `${item.code} ${item.message}`), []);
  });

  it('its protocol checks clean', () => {
    assert.deepEqual(checkCourse(course()).map((item) => `${item.code} ${item.message}`), []);
  });
});
