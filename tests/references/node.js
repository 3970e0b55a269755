// Reference: Refiner's Node snippet, crypto.createHmac(...).update(USER_ID).digest('hex').
'use strict';
const crypto = require('node:crypto');
const readline = require('node:readline');

let out = [];
const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  if (line === '') {
    process.stdout.write(out.join(''));
    out = [];
    return;
  }
  const [keyHex, kind, value] = line.split(' ');
  const key = Buffer.from(keyHex, 'hex');
  const userId = kind === 'int' ? String(BigInt(value)) : Buffer.from(value, 'hex');
  out.push(crypto.createHmac('sha256', key).update(userId).digest('hex') + '\n');
});
lines.on('close', () => process.stdout.write(out.join('')));
