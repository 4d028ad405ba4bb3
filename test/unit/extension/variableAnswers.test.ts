// How Insert into Editor asks for a variable: the pre-filled default and the prompt line. (Its
// verdict on an answer is the engine's, tested against a real server in test/server.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultText, valuePrompt } from '../../../src/commands/variableAnswers';

describe('asking for a variable', () => {
  it('pre-fills the default as it would be typed', () => {
    assert.equal(defaultText({}), '');
    assert.equal(defaultText({ default: ['id', 'amount'] }), 'id, amount');
    assert.equal(defaultText({ default: 10 }), '10');
    assert.equal(defaultText({ default: false }), 'false');
  });

  it('says what the variable is for, its type and whether it is required', () => {
    assert.equal(valuePrompt({ name: 'cols', type: 'column_list', required: true, description: 'columns to keep' }), 'columns to keep — column list, required');
    assert.equal(valuePrompt({ name: 'since', type: 'string', required: false, description: '' }), 'since — string');
  });
});
