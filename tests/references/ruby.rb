# Reference: Refiner's Ruby snippet, OpenSSL::HMAC.hexdigest('sha256', KEY, USER_ID).
require 'openssl'

$stdout.binmode
out = +''
$stdin.each_line("\n", chomp: true) do |line|
  if line.empty?
    $stdout.write(out)
    $stdout.flush
    out = +''
    next
  end
  key_hex, kind, value = line.split(' ')
  key = [key_hex].pack('H*')
  user_id = kind == 'int' ? Integer(value, 10).to_s : [value].pack('H*')
  out << OpenSSL::HMAC.hexdigest('sha256', key, user_id) << "\n"
end
$stdout.write(out)
