#!/bin/bash
# Device call 3 (self-contained): continue from run 1's export with a FIM-heavy mixture
# (90% FIM files, shorter segments, mostly whole-line middles), then export.
set -u
export PYTHONUNBUFFERED=1 NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
T0=$(date +%s); TRAIN_SECONDS=${1:-270}; W=/tmp/work; mkdir -p $W/data
el() { echo $(( $(date +%s) - T0 )); }
python3 select_data.py --out $W/selection.json || exit 1
echo "select done at $(el)s"
python3 build_dataset.py --selection $W/selection.json --tokenizer tokenizer.json --out $W/data --seq 2048 --variants 1 \
  --fim-rate 0.9 --seg 500,3000 --kinds 0.6,0.25 --seed 4321 || exit 1
echo "dataset done at $(el)s"
NGPU=$(nvidia-smi -L | wc -l); ACCUM=$(( 4 / NGPU )); [ $ACCUM -lt 1 ] && ACCUM=1
torchrun --standalone --nproc_per_node=$NGPU train.py --data $W/data --work $W --tokenizer tokenizer.json --init init/export_final \
  --train-seconds $TRAIN_SECONDS --micro-batch 16 --accum $ACCUM --lr 6e-4 --warmup 50 --qat-from 0 --evals 2 --seed 99 > $W/train.log 2>&1
echo "train rc $? at $(el)s"; grep -h '"eval"\|sized' $W/loss_log.jsonl; tail -n 4 $W/train.log | cut -c1-400
tail -c 300000 $W/train.log > $W/train_log_tail.txt; cp $W/loss_log.jsonl $OUT/ 2>/dev/null
tar czf $OUT/logs.tgz -C $W selection.json data/dataset_stats.json hparams.json loss_log.jsonl train_log_tail.txt 2>/dev/null
[ -f $W/export_final.bin ] && cp $W/export_final.json $OUT/ && split -b 15M -d $W/export_final.bin $OUT/export_final.bin.part
ls -la $OUT; echo "call 3 ends at $(el)s"
