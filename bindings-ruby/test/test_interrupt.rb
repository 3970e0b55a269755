# frozen_string_literal: true

require "test_helper"
require "fiddle"
require "open3"
require "rbconfig"
require "timeout"

# A long sign_many gives way to Thread#raise (Timeout) and Ctrl-C, frees what
# it held, and leaves the signer usable.
class TestInterrupt < Minitest::Test
  include TestHelper

  IDS = 5_000_000

  # glibc keeps freed memory for reuse (how much depends on how far each call
  # got); handing it back first leaves in RSS only what is still allocated.
  MALLOC_TRIM = begin
    Fiddle::Function.new(Fiddle.dlopen(nil)["malloc_trim"], [Fiddle::TYPE_SIZE_T], Fiddle::TYPE_INT)
  rescue Fiddle::DLError
    nil
  end

  def rss_kb
    GC.start
    MALLOC_TRIM&.call(0)
    File.read("/proc/self/status")[/^VmRSS:\s+(\d+)/, 1].to_i
  end

  def test_timeout_interrupts_a_long_sign_many_without_leaking
    signer = RefinerIdentity::Signer.new(SECRET)
    ids = Array.new(IDS, "user-1234567")
    interrupted = lambda do
      assert_raises(Timeout::Error) { Timeout.timeout(0.2) { signer.sign_many(ids) } }
      rss_kb
    end
    warm = interrupted.call
    3.times { interrupted.call }
    # While signing, a batch of 5,000,000 ids holds over 200 MB outside Ruby's
    # heap: a call that left it behind would add that much per round.
    assert_operator rss_kb - warm, :<, 100 * 1024
    assert_equal reference(SECRET, "42"), signer.sign(42)
    assert_equal %w[a b].map { |id| reference(SECRET, id) }, signer.sign_many(%w[a b])
  end

  def test_ctrl_c_interrupts_sign_many
    script = <<~RUBY
      require "refiner_identity"
      # Ruby's own SIGINT handler, even when this process was started with SIGINT
      # ignored (a background job of a shell without job control).
      trap("INT", "DEFAULT")
      signer = RefinerIdentity::Signer.new("interrupt-key")
      ids = Array.new(2_000_000, "user-1234567")
      begin
        puts "ready"
        $stdout.flush
        100.times { signer.sign_many(ids) } # bounded, so a lost signal fails instead of hanging
        puts "not interrupted"
      rescue Interrupt
        puts signer.sign("42")
      end
    RUBY
    lib = File.expand_path("../lib", __dir__)
    Open3.popen3(RbConfig.ruby, "-I", lib, "-e", script) do |stdin, stdout, stderr, wait|
      stdin.close
      assert_equal "ready\n", stdout.gets
      Process.kill(:INT, wait.pid)
      assert_equal "#{reference('interrupt-key', '42')}\n", stdout.read
      assert_equal "", stderr.read
      assert_predicate wait.value, :success?
    end
  end

  # Ruby with a pending interrupt that raises nothing (GC.stress makes one at
  # every allocation) once declined to start the work again and again.
  def test_sign_many_under_gc_stress_in_a_single_threaded_process_returns
    script = <<~RUBY
      require "refiner_identity"
      signer = RefinerIdentity::Signer.new("stress-key")
      GC.stress = true
      signatures = signer.sign_many(%w[a b])
      links = signer.survey_links("https://x.io/s", [{ id: "a" }])
      GC.stress = false
      puts signatures, links.size
    RUBY
    expected = [reference("stress-key", "a"), reference("stress-key", "b"), "1"]
    assert_equal expected, run_bounded(script, seconds: 60).lines(chomp: true)
  end

  # A trapped signal every 2 ms (its handler raises nothing) once made the copy
  # of the ids start over each time: it never ended. The first handler run
  # during the call also replaces every element: the batch is the Array as the
  # call found it.
  def test_sign_many_under_a_stream_of_trapped_signals_ends_with_the_array_of_the_call
    script = <<~RUBY
      require "refiner_identity"
      signer = RefinerIdentity::Signer.new("signal-key")
      ids = Array.new(1_000_000) { |i| "user-\#{i}" }
      handled = 0
      trap("USR1") do
        handled += 1
        # Once, from inside sign_many (the handler runs on the interrupted thread).
        if !ids.frozen? && caller_locations.any? { |frame| frame.label == "sign_many" }
          ids.fill("changed").freeze
        end
      end
      sender = spawn("sh", "-c", "while kill -USR1 \#{Process.pid} 2>/dev/null; do sleep 0.002; done")
      sleep 0.01 until handled > 0
      signatures = signer.sign_many(ids)
      Process.kill(:TERM, sender)
      Process.wait(sender)
      puts ids.first, signatures.size, signatures.values_at(0, 500_000, -1), signatures.uniq.size
    RUBY
    changed, size, *sampled, distinct = run_bounded(script, seconds: 60).lines(chomp: true)
    assert_equal "changed", changed, "no signal arrived during the call"
    assert_equal "1000000", size
    assert_equal %w[user-0 user-500000 user-999999].map { |id| reference("signal-key", id) }, sampled
    assert_equal "1000000", distinct
  end

  # The script's standard output; fails (and kills it) if it has not ended after +seconds+.
  def run_bounded(script, seconds:)
    lib = File.expand_path("../lib", __dir__)
    Open3.popen3(RbConfig.ruby, "-I", lib, "-e", script) do |stdin, stdout, stderr, wait|
      stdin.close
      output = Thread.new { stdout.read }
      errors = Thread.new { stderr.read }
      unless wait.join(seconds)
        Process.kill(:KILL, wait.pid)
        flunk "still running after #{seconds} s"
      end
      assert_equal "", errors.value
      assert_predicate wait.value, :success?
      output.value
    end
  end
end
