#!/usr/bin/perl
# The launcher's stderr filter: drops exactly the lines in @noise, passes everything else through as
# it arrives, partial lines included, so progress bars redrawn with \r show as they are drawn. Child
# JVMs (search workers, nightly runs) write to the same stream, so their copies go too.
use strict;
use warnings;

$| = 1;
# Ctrl-C reaches the whole process group: the filter stays, so the JVM's last words still get out.
$SIG{INT} = 'IGNORE';
$SIG{TERM} = 'IGNORE';

my @noise = (
    # The JVM, on every start with the Vector API module (batch commands).
    qr/^WARNING: Using incubator modules: jdk\.incubator\.vector$/,
    # DJL probing for a GPU where a CUDA runtime is installed without a driver, twice per JVM.
    qr/^\[[^\]]+\] WARN ai\.djl\.util\.cuda\.CudaUtils - Failed to detect GPU count: /,
    # libtorch, once per JVM, from DJL's NDArray.set(Buffer) (its JNI still uses the deprecated guard).
    qr/^\[W\d{4} [\d:.]+ LegacyTypeDispatch\.h:\d+\] Warning: AutoNonVariableTypeMode is deprecated /,
    # libtorch, on every small-batch convolution on a CPU its cpuinfo does not know (AMD EPYC family 26):
    # it then takes its other kernels, which is all the line says (1,640 lines in one bench train).
    qr/^\[W\d{4} [\d:.]+ NNPACK\.cpp:\d+\] Could not initialize NNPACK! Reason: Unsupported hardware\.$/,
);

# A partial line that may still turn out to be noise is held back until its line ends; any other is
# printed at once and the rest of its line follows unchecked.
sub may_be_noise {
    my ($p) = @_;
    return 1 if substr($p, 0, 1) eq '[';
    return index('WARNING: Using incubator modules: jdk.incubator.vector', $p) == 0;
}

my $held = '';    # the start of the current line, while it may still be noise
my $passing = 0;  # the current line was let through already
while (sysread(STDIN, my $buf, 65536)) {
    while (length $buf) {
        if ($buf =~ /\A([^\r\n]*[\r\n])/) {
            my $end = $1;
            $buf = substr($buf, length $end);
            if ($passing) {
                print $end;
                $passing = 0;
                next;
            }
            my $line = $held . $end;
            $held = '';
            (my $text = $line) =~ s/[\r\n]\z//;
            print $line unless grep { $text =~ $_ } @noise;
        } else {
            if ($passing) {
                print $buf;
            } else {
                $held .= $buf;
                if (!may_be_noise($held)) {
                    print $held;
                    $held = '';
                    $passing = 1;
                }
            }
            $buf = '';
        }
    }
}
print $held if length $held;
