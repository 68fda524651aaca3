# Guest test for scx_ml on 8 vCPUs (two NUMA nodes): the mlmig module's
# migration filter, end to end. The built-in model filters by default; a
# model that always says "stay" lets the balancer make no migration (with
# the guard off; with it, a node-wide imbalance is still corrected), one
# that always says "migrate" balances as scx_wd40 does; a damaged model is
# refused in one line and balancing goes on without it; candidates
# collected under load train a model (in the guest, with tessera-train)
# that the scheduler then runs with. lb's greedy steals ask the steal model
# in BPF: one that always says "stay" vetoes every steal it is asked about,
# one that always says "migrate" none, a damaged one is refused.
M=scx_ml
LOG=/tmp/ml.log
D=/tmp/ml
echo "# $M: learned migration filter"
rm -rf $D
mkdir -p $D

# Cross-node stealing by wait off: on (the default) it evens out the
# imbalance below before the balancer, whose filter this tests, sees it
# (test_conserve.sh tests the stealing). The balancer runs every 0.5 s
# (default 2 s), so that a case needs a quarter of the time.
start_ml() { # args...
	$M --stats 1 --interval 0.5 --x-numa-wait-us 0 "$@" >$LOG 2>&1 &
	MPID=$!
	wait_state enabled $ATTACH_S || { fail "$M $*: attach" "$(tail -5 $LOG)"; kill $MPID 2>/dev/null; return 1; }
}

stop_ml() {
	kill -INT $MPID
	wait $MPID
	check "$1: clean exit" [ $? -eq 0 ]
	wait_state disabled 30
}

# imbalance ROUNDS: eight CPU hogs started on node 0, let go everywhere, ROUNDS times
imbalance() {
	stress-ng --cpu 8 --timeout $(($1 * 5 + 1)) --quiet &
	SPID=$!
	for r in $(seq $1); do
		sleep 0.5
		for p in $(pidof stress-ng); do taskset -p 0f $p >/dev/null; done
		sleep 1.5
		for p in $(pidof stress-ng); do taskset -p ff $p >/dev/null; done
		sleep 3
	done
	wait $SPID 2>/dev/null
}

applied() { grep -o 'applied=[0-9]*' $LOG | cut -d= -f2 | awk '{ s += $1 } END { print s + 0 }'; }
# stat NAME: the newest mlmig value of NAME=
stat() { grep -o "mlmig: .*$1=[0-9]*" $LOG | tail -n 1 | sed "s/.*$1=//"; }

tessera-train --constant stay -o $D/stay.bin >/dev/null
tessera-train --constant stay --hidden 8 -o $D/stay8.bin >/dev/null
tessera-train --constant migrate --hidden 8 -o $D/migrate8.bin >/dev/null
tessera-train --constant migrate -o $D/migrate.bin >/dev/null
printf 'TSRMLMIG but not much else' >$D/bad.bin

if start_ml; then
	imbalance 1
	check "the built-in model is used by default ($(stat offered) offered, $(stat vetoed) vetoed)" \
		sh -c "[ '$(stat offered)' -gt 0 ] && ! grep -q 'model refused' $LOG"
	stop_ml "built-in model"
fi
if start_ml --ml-model $D/stay.bin --ml-guard 0; then
	imbalance 1
	a=$(applied)
	check "always stay (no guard): no migration applied ($a), vetoed $(stat vetoed)" \
		sh -c "[ $a -eq 0 ] && [ '$(stat vetoed)' -gt 0 ]"
	stop_ml "always stay"
fi
if start_ml --ml-model $D/stay.bin; then
	imbalance 1
	a=$(applied)
	check "always stay, default guard: a node-wide imbalance is still corrected ($a applied, $(stat guarded) guarded)" \
		sh -c "[ $a -gt 0 ] && [ '$(stat guarded)' -gt 0 ]"
	stop_ml "always stay, guarded"
fi
if start_ml --ml-model $D/migrate.bin; then
	imbalance 1
	a=$(applied)
	check "always migrate: migrations applied as without a filter ($a), none vetoed" \
		sh -c "[ $a -gt 0 ] && [ '$(stat vetoed)' -eq 0 ]"
	stop_ml "always migrate"
fi
if start_ml --ml-model $D/bad.bin; then
	grep "mlmig:" $LOG | head -n 1 | sed 's/^/# /'
	check "a damaged model is refused in one line naming it" \
		sh -c "[ \$(grep -c 'model refused' $LOG) -eq 1 ] && grep -q 'model refused, balancing without it: $D/bad.bin: ' $LOG"
	imbalance 1
	check "... and the balancer runs without it ($(applied) applied)" [ "$(applied)" -gt 0 ]
	stop_ml "damaged model"
fi

# steal_case NAME WANT_VETOED: under the constant steal model NAME (stay,
# migrate), lb's greedy steals ask it in BPF and it vetoes WANT_VETOED of
# them ("all" or 0). The nodes are one domain each here: steals across
# them are off by default.
steal_case() {
	start_ml --greedy-threshold-x-numa 1 --ml-steal-model $D/${1}8.bin || return 1
	imbalance 1
	sc=$(grep -o 'mlmig: steals asked=[0-9]* vetoed=[0-9]*' $LOG | tail -n 1 | sed 's/.*asked=\([0-9]*\) vetoed=\([0-9]*\)/\1 \2/')
	_want=$2
	[ "$_want" != all ] || _want=${sc%% *}
	check "steal model '$1': lb's greedy steals ask it in BPF, it vetoes $2 (asked, vetoed: ${sc:-none})" \
		sh -c "[ '${sc%% *}' -gt 0 ] && [ '${sc##* }' -eq '$_want' ]"
	stop_ml "steal model $1"
}
steal_case stay all
steal_case migrate 0
if start_ml --ml-steal-model $D/bad.bin; then
	check "a damaged steal model is refused in one line naming it" \
		grep -q "steal model refused, steals made without it: $D/bad.bin: " $LOG
	stop_ml "damaged steal model"
fi

# collect, train, run
if start_ml --ml-model none --ml-collect $D/candidates.csv; then
	imbalance 4
	stop_ml "collecting"
	judged=$(grep -c ',[01]$' $D/candidates.csv)
	echo "# collected $(($(wc -l <$D/candidates.csv) - 1)) candidates, $judged moves judged ($(grep -c ',1$' $D/candidates.csv) good)"
	check "collecting: a log of candidates with judged moves ($judged)" \
		sh -c "head -n 1 $D/candidates.csv | grep -q '^# tessera mlmig candidates v1 features=tessera' && [ $judged -ge 10 ]"
	tessera-train --epochs 50 -o $D/trained.bin $D/candidates.csv >$D/train.out 2>&1
	rc=$?
	sed 's/^/# train: /' $D/train.out
	check "training on them writes a model (rc $rc)" sh -c "[ $rc -eq 0 ] && [ -s $D/trained.bin ]"
	if start_ml --ml-model $D/trained.bin; then
		imbalance 1
		check "the trained model is used: every candidate scored or remembered ($(stat offered) offered)" \
			sh -c "[ '$(stat offered)' -gt 0 ] && ! grep -q 'model refused' $LOG"
		check "... and the scheduler stays up" [ "$(scx_state)" = enabled ]
		stop_ml "trained model"
	fi
fi
