# Entry point inside the guest: run every guest test for the schedulers
# given in $TSR_SCHEDS, then print the summary line.
. /tsr/tests/lib.sh
for SCHED in $TSR_SCHEDS; do
	case $SCHED in
	scx_test_faults) . /tsr/tests/test_faults.sh ;;
	*)
		. /tsr/tests/test_lifecycle.sh
		. /tsr/tests/test_task_records.sh
		;;
	esac
done
tsr_summary
