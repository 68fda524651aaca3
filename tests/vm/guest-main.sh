# Entry point inside the guest: run the guest tests of suite $TSR_SUITE for
# the schedulers in $TSR_SCHEDS, then print the summary line.
#   main: 4 vCPUs; lifecycle, task records and weights of every scheduler, fault injection
#   numa: 8 vCPUs on two nodes; multi-domain balancing (scx_wd40)
. /tsr/tests/lib.sh
for SCHED in $TSR_SCHEDS; do
	case ${TSR_SUITE:-main}:$SCHED in
	main:scx_test_faults) . /tsr/tests/test_faults.sh ;;
	main:*)
		. /tsr/tests/test_lifecycle.sh
		. /tsr/tests/test_task_records.sh
		. /tsr/tests/test_weights.sh
		. /tsr/tests/test_record_limit.sh
		;;
	# weights on two domains are not tested here yet: two SCHED_IDLE hogs
	# among 16 nice-0 ones got 51 % of a CPU each in some runs (issue 7 note)
	numa:scx_wd40) . /tsr/tests/test_wd40.sh ;;
	esac
done
tsr_summary
