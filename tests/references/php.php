<?php
// Reference: Refiner's PHP snippet, hash_hmac('sha256', $userId, KEY).
// Integers that fit PHP_INT are passed as PHP ints, so PHP's own int-to-string applies.
$out = '';
while (($line = fgets(STDIN)) !== false) {
    $line = rtrim($line, "\n");
    if ($line === '') {
        fwrite(STDOUT, $out);
        fflush(STDOUT);
        $out = '';
        continue;
    }
    [$keyHex, $kind, $value] = explode(' ', $line);
    $key = hex2bin($keyHex);
    if ($kind === 'int') {
        $asInt = filter_var($value, FILTER_VALIDATE_INT);
        $userId = $asInt === false ? $value : $asInt;
    } else {
        $userId = hex2bin($value);
    }
    $out .= hash_hmac('sha256', $userId, $key) . "\n";
}
fwrite(STDOUT, $out);
