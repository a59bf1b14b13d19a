#!/bin/bash
# Device call 4 (run 3): continue from run 2's export on FIM examples cut around cursors in
# the editor's prompt shape (build_dataset.py --window), with the FIM middle's loss weighted
# (train.py --middle-weight). Training starts in the background and outlives this call; near
# the call's limit a partial export comes back. call2.sh (the next call, machine still warm)
# waits for the end and brings back the final export.
# Run 3 used the defaults; run 4: SEED=4242 LR=3e-4 EVALS=2 EVAL_CASES=96 from run 3's partial export.
# Usage (from a folder holding these scripts and tokenizer.json or tokenizer.json.xz, one level
# below the repository root, e.g. .device-carry/; the init weights come from the shipped GGUF): bash call4.sh TRAIN_SECONDS
set -u
export PYTHONUNBUFFERED=1 NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
T0=$(date +%s); LIMIT=${CALL_SECONDS:-565}; TRAIN_SECONDS=${1:-850}
W=/tmp/work; mkdir -p $W/data
el() { echo $(( $(date +%s) - T0 )); }
nvidia-smi -L; python3 -c 'import torch,tokenizers;print(torch.__version__, tokenizers.__version__, torch.cuda.device_count())'
[ -f tokenizer.json ] || python3 -c 'import lzma,shutil;shutil.copyfileobj(lzma.open("tokenizer.json.xz"),open("tokenizer.json","wb"))'
mkdir -p init && python3 gguf_init.py --gguf ../models/completion-lab-coder-50m.gguf --out init/export_final || exit 1
python3 select_data.py --out $W/selection.json || exit 1
echo "select done at $(el)s"
python3 build_dataset.py --selection $W/selection.json --tokenizer tokenizer.json --out $W/data --seq 2048 --variants 2 \
  --fim-rate ${FIM_RATE:-0.7} --kinds 0.6,0.25 --window --win 4000,1400,4000 --seed ${SEED:-777} --val-seed 777 || exit 1
echo "dataset done at $(el)s"
NGPU=$(nvidia-smi -L | wc -l); ACCUM=$(( 4 / NGPU )); [ $ACCUM -lt 1 ] && ACCUM=1
setsid nohup torchrun --standalone --nproc_per_node=$NGPU train.py --data $W/data --work $W --tokenizer tokenizer.json \
  --init init/export_final --train-seconds $TRAIN_SECONDS --micro-batch 16 --accum $ACCUM --lr ${LR:-6e-4} --warmup 50 --qat-from 0 \
  --middle-weight ${MW:-8} --evals ${EVALS:-3} --eval-cases ${EVAL_CASES:-64} --seed ${SEED:-777} > $W/train.log 2>&1 < /dev/null &
echo "training started at $(el)s on $NGPU GPUs"
while [ $(el) -lt $((LIMIT - 45)) ]; do
  sleep 15
  if [ -f $W/DONE ]; then break; fi
  if ! pgrep -f "train.py" > /dev/null; then echo "TRAINING PROCESS ENDED"; tail -n 30 $W/train.log; break; fi
  tail -n 1 $W/loss_log.jsonl 2>/dev/null | cut -c1-300
done
if [ ! -f $W/DONE ] && pgrep -f train.py > /dev/null; then
  touch $W/export_now
  for i in $(seq 1 60); do [ -f $W/export_now ] || break; sleep 1; done
  sleep 2
fi
grep -h '"eval"\|sized' $W/loss_log.jsonl
tail -c 300000 $W/train.log > $W/train_log_tail.txt; cp $W/loss_log.jsonl $OUT/ 2>/dev/null
tar czf $OUT/logs.tgz -C $W selection.json data/dataset_stats.json hparams.json loss_log.jsonl train_log_tail.txt 2>/dev/null
X=export_partial; [ -f $W/DONE ] && X=export_final
if [ -f $W/$X.bin ]; then cp $W/$X.json $OUT/; split -b 15M -d $W/$X.bin $OUT/$X.bin.part; fi
ls -la $OUT; echo "call 4 ends at $(el)s"
