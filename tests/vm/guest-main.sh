# Entry point inside the guest: run the guest tests of suite $TSR_SUITE for
# the schedulers in $TSR_SCHEDS, then print the summary line.
#   main: 4 vCPUs; lifecycle, task records, weights and JSON statistics of
#         every scheduler, fault injection, the control socket, the
#         callbacks left out with one domain (scx_basic, scx_wd40), the
#         migration count (scx_basic),
#         woken tasks waiting for their own CPU (scx_wd40, scx_ml), classes
#         and bandwidth (scx_cxl)
#   numa: 8 vCPUs on two nodes (4 cores x 2 threads); weights of every
#         scheduler across two domains, a whole domain offline, multi-domain
#         balancing (scx_wd40), SMT pairing (scx_smt), the learned migration
#         filter (scx_ml), CPU scoring by far memory (scx_cxl), JSON
#         statistics per node (scx_wd40), work conservation across nodes
#         (scx_wd40, scx_ml), callbacks attached with two domains (scx_basic,
#         scx_wd40)
. /tsr/tests/lib.sh

# run_file FILE: source a test file, then say how long it took (where a
# suite's time goes)
run_file() {
	_rf_name=${1##*/} _rf_start=$(now)
	. "$1"
	echo "# time: $_rf_name $(elapsed "$_rf_start") s"
}

for SCHED in $TSR_SCHEDS; do
	case ${TSR_SUITE:-main}:$SCHED in
	main:scx_test_faults) run_file /tsr/tests/test_faults.sh ;;
	main:scx_test_jobs) run_file /tsr/tests/test_jobs.sh ;;
	main:*)
		run_file /tsr/tests/test_lifecycle.sh
		run_file /tsr/tests/test_task_records.sh
		run_file /tsr/tests/test_weights.sh
		run_file /tsr/tests/test_record_limit.sh
		[ "$SCHED" != scx_basic ] || run_file /tsr/tests/test_control.sh
		case $SCHED in scx_basic | scx_wd40) run_file /tsr/tests/test_callbacks.sh ;; esac
		[ "$SCHED" != scx_basic ] || run_file /tsr/tests/test_migrations.sh
		case $SCHED in scx_wd40 | scx_ml) run_file /tsr/tests/test_cpu_wait.sh ;; esac
		run_file /tsr/tests/test_stats_json.sh
		[ "$SCHED" != scx_cxl ] || run_file /tsr/tests/test_cxl.sh
		;;
	numa:*)
		[ "$SCHED" != scx_wd40 ] || run_file /tsr/tests/test_wd40.sh
		[ "$SCHED" != scx_wd40 ] || run_file /tsr/tests/test_stats_json.sh
		case $SCHED in scx_wd40 | scx_ml) run_file /tsr/tests/test_conserve.sh ;; esac
		[ "$SCHED" != scx_smt ] || run_file /tsr/tests/test_smt.sh
		[ "$SCHED" != scx_ml ] || run_file /tsr/tests/test_ml.sh
		[ "$SCHED" != scx_cxl ] || run_file /tsr/tests/test_cxl_numa.sh
		case $SCHED in scx_basic | scx_wd40) run_file /tsr/tests/test_callbacks.sh ;; esac
		run_file /tsr/tests/test_weights.sh
		run_file /tsr/tests/test_hotplug_domain.sh
		;;
	esac
done
tsr_summary
