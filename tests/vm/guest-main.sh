# Entry point inside the guest: run every guest test for the schedulers
# given in $TSR_SCHEDS, then print the summary line.
. /tsr/tests/lib.sh
for SCHED in $TSR_SCHEDS; do
	. /tsr/tests/test_lifecycle.sh
done
tsr_summary
