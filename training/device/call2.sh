#!/bin/bash
# Device call 2 (right after call 1, while the machine is still warm): wait for training
# to finish and bring back the final export and the whole loss log.
set -u
T0=$(date +%s); LIMIT=${CALL_SECONDS:-570}; W=/tmp/work
el() { echo $(( $(date +%s) - T0 )); }
if [ ! -f $W/loss_log.jsonl ]; then echo "FRESH MACHINE: nothing of call 1 is here"; exit 3; fi
while [ ! -f $W/DONE ] && [ $(el) -lt $((LIMIT - 45)) ] && pgrep -f train.py > /dev/null; do sleep 10; tail -n 1 $W/loss_log.jsonl | cut -c1-300; done
X=export_final
if [ ! -f $W/DONE ]; then
  # Keep the last partial export until a newer one is written: run 6's training was inside a
  # 3-minute evaluation when this asked, and deleting first left nothing to bring back.
  echo "NOT DONE: taking a partial export"; touch $W/export_now
  for i in $(seq 1 40); do [ -f $W/export_now ] || break; sleep 1; done; sleep 2; X=export_partial
  [ -f $W/export_now ] && echo "the export did not come in time: bringing back the previous partial export, if any"
fi
grep -h '"eval"' $W/loss_log.jsonl | tail -n 8
tail -n 5 $W/train.log
tail -c 300000 $W/train.log > $W/train_log_tail.txt; cp $W/loss_log.jsonl $OUT/ 2>/dev/null
tar czf $OUT/logs.tgz -C $W selection.json data/dataset_stats.json hparams.json loss_log.jsonl train_log_tail.txt 2>/dev/null
[ -f $W/$X.bin ] && cp $W/$X.json $OUT/ && split -b 15M -d $W/$X.bin $OUT/$X.bin.part
ls -la $OUT; echo "call 2 ends at $(el)s"
