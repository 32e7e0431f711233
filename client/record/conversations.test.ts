import { expect } from '@open-wc/testing';
import type { Communication } from 'fhir/r4';
import { authorOf } from './conversations.js';
import { withOnBehalfOf } from '../../common/on-behalf.js';

const ORIGIN = 'https://portal.test';
const fromRose: Communication = {
  resourceType: 'Communication',
  id: 'c1',
  status: 'completed',
  sender: { reference: 'Patient/pat-rose', display: 'Rose Carter' },
};
const bySam = withOnBehalfOf(fromRose, ORIGIN, { name: 'Sam Carter', accountId: 'acct-sam' });
const team: Communication = { ...fromRose, sender: { reference: 'Practitioner/dr', display: 'Dr Lee' } };

describe('who wrote a message, in the reader’s words ([3/11] acting on behalf)', () => {
  const rose = { accountId: 'acct-rose', self: true, patientName: 'Rose Carter' };
  const sam = { accountId: 'acct-sam', self: false, patientName: 'Rose Carter' };
  const ann = { accountId: 'acct-ann', self: false, patientName: 'Rose Carter' };
  it('the patient reads their own and a caregiver’s messages', () => {
    expect(authorOf(fromRose, rose)).to.equal('You');
    expect(authorOf(bySam, rose)).to.equal('Sam Carter, for you');
  });
  it('the caregiver reads their own, the patient’s and another caregiver’s', () => {
    expect(authorOf(bySam, sam)).to.equal('You, for Rose Carter');
    expect(authorOf(fromRose, sam)).to.equal('Rose Carter');
    expect(authorOf(bySam, ann)).to.equal('Sam Carter, for Rose Carter');
  });
  it('the care team by name', () => {
    expect(authorOf(team, sam)).to.equal('Dr Lee');
  });
});
