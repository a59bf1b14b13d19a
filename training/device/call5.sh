#!/bin/bash
# Device calls of run 5: the GPU machine's own packages plus the permissive Python of a wheel
# mirror (training/select_wheels.py: extra-NN.tar.xz chunks, ~53 MB compressed), continuing
# from the shipped GGUF on cursor-shaped FIM examples with the middle's loss weighted.
# The chunks and the 39 MB GGUF do not fit one call's 64 MiB, so two calls bring them:
#   bash call5.sh prep              (model in the working tree, chunk 00 carried): GGUF -> init
#                                    weights, chunk kept, this machine's selection
#   bash call5.sh train SECONDS     (the other chunks carried; the model file may be absent):
#                                    dataset, training in the background, a partial export near the limit
# then call2.sh (waits, brings back the final or a partial export) as often as needed.
# Environment: SEED (data and training, default 5151), LR (4e-4), MW (middle weight, 16),
# FIM_RATE (0.85), VARIANTS (3), EVALS (3), EVAL_CASES (96); the model's shape: LAYERS (12),
# GROW (set: the GGUF has fewer layers, insert new ones that start as no-ops), CORE_QUANT
# (none, or q4_0: the core trained and shipped as Q4_0, so 24 layers fit 40 MB; export with
# --core q4_0), EOF_RATE (0; build_dataset.py --eof-rate), LINE_END_RATE (0;
# --line-end-rate), INIT_GGUF (prep: the GGUF to start from, default the shipped one).
# Run 6 was LAYERS=24 GROW=1 CORE_QUANT=q4_0 EOF_RATE=0.15 SEED=6161; run 7 continued it:
# prep with INIT_GGUF=run6-step2930.gguf, then LAYERS=24 CORE_QUANT=q4_0 EOF_RATE=0.15
# SEED=6262 LR=1.5e-4 bash call5.sh train 1300 (and call2.sh twice). Run 8 (planned): prep with
# INIT_GGUF=run7-step8500.gguf, then LAYERS=24 CORE_QUANT=q4_0 EOF_RATE=0.1 LINE_END_RATE=0.15
# SEED=7373 LR=1e-4 EVALS=1 bash call5.sh train 1150. A GPU-side evaluation of 96 cases takes
# about 60-120 s at 24 layers, and compilation about 85 s: budget the session's 1,800 s with that.
# Run from a folder holding these scripts, tokenizer.json(.xz) and extra-*.tar.xz, one level
# below the repository root (e.g. .device-carry/).
set -u
export PYTHONUNBUFFERED=1 NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
T0=$(date +%s); LIMIT=${CALL_SECONDS:-565}; PHASE=${1:?prep or train}; TRAIN_SECONDS=${2:-1300}
W=/tmp/work; mkdir -p $W/data $W/extra $W/init
el() { echo $(( $(date +%s) - T0 )); }
cp extra-*.tar.xz $W/extra/ 2>/dev/null; ls -la $W/extra
if [ "$PHASE" = prep ]; then
  nvidia-smi -L; python3 -c 'import torch,tokenizers;print(torch.__version__, tokenizers.__version__, torch.cuda.device_count())'
  python3 -c 'import lzma,shutil;shutil.copyfileobj(lzma.open("tokenizer.json.xz"),open("/tmp/work/tokenizer.json","wb"))' || exit 1
  python3 gguf_init.py --gguf ${INIT_GGUF:-../models/completion-lab-coder-50m.gguf} --out $W/init/export_final || exit 1
  python3 select_data.py --out $W/selection.json || exit 1
  cp $W/selection.json $OUT/; echo "prep done at $(el)s"; exit 0
fi
[ -f $W/init/export_final.bin ] || { echo "FRESH MACHINE: the prep call's state is gone"; exit 3; }
python3 build_dataset.py --selection $W/selection.json $(for f in $W/extra/extra-*.tar.xz; do echo --extra $f; done) \
  --tokenizer $W/tokenizer.json --out $W/data --seq 2048 --variants ${VARIANTS:-3} \
  --fim-rate ${FIM_RATE:-0.85} --kinds 0.6,0.25 --window --win 4000,1400,4000 --eof-rate ${EOF_RATE:-0} --line-end-rate ${LINE_END_RATE:-0} --seed ${SEED:-5151} --val-seed 777 || exit 1
echo "dataset done at $(el)s"
NGPU=$(nvidia-smi -L | wc -l); ACCUM=$(( 4 / NGPU )); [ $ACCUM -lt 1 ] && ACCUM=1
launch() {  # launch LAYERS GROW CORE_QUANT SECONDS
  rm -f $W/loss_log.jsonl
  setsid nohup torchrun --standalone --nproc_per_node=$NGPU train.py --data $W/data --work $W --tokenizer $W/tokenizer.json \
    --init $W/init/export_final --train-seconds $4 --micro-batch 16 --accum $ACCUM --lr ${LR:-4e-4} --warmup 50 --qat-from 0 \
    --layers $1 ${2:+--grow} --core-quant $3 \
    --middle-weight ${MW:-16} --evals ${EVALS:-3} --eval-cases ${EVAL_CASES:-96} --seed ${SEED:-5151} > $W/train.log 2>&1 < /dev/null &
  echo "training ($1 layers, core ${3}) started at $(el)s on $NGPU GPUs for $4 s"
}
T_TRAIN0=$(el); launch ${LAYERS:-12} "${GROW:-}" ${CORE_QUANT:-none} $TRAIN_SECONDS
FELL_BACK=
while [ $(el) -lt $((LIMIT - 45)) ]; do
  sleep 15
  if [ -f $W/DONE ]; then break; fi
  if ! pgrep -f "train.py" > /dev/null; then
    echo "TRAINING PROCESS ENDED"; tail -n 30 $W/train.log
    # Run 6's first call: the grown, Q4_0-core model had NaN gradients from step 1. If a
    # grown shape fails that way again, spend the call on the shape of the GGUF it grew from.
    if [ -z "$FELL_BACK" ] && [ -n "${GROW:-}" ] && grep -q NONFINITE $W/train.log; then
      FELL_BACK=1; cp $W/train.log $W/train_failed.log
      launch 12 "" none $(( TRAIN_SECONDS - $(el) + T_TRAIN0 )); continue  # the shipped GGUF has 12 layers
    fi
    break
  fi
  tail -n 1 $W/loss_log.jsonl 2>/dev/null | cut -c1-300
done
if [ ! -f $W/DONE ] && pgrep -f train.py > /dev/null; then
  touch $W/export_now
  for i in $(seq 1 60); do [ -f $W/export_now ] || break; sleep 1; done
  sleep 2
fi
grep -h '"eval"\|sized' $W/loss_log.jsonl
tail -c 300000 $W/train.log > $W/train_log_tail.txt; cp $W/loss_log.jsonl $OUT/ 2>/dev/null
tar czf $OUT/logs.tgz -C $W selection.json data/dataset_stats.json hparams.json loss_log.jsonl train_log_tail.txt $(cd $W && ls train_failed.log 2>/dev/null) 2>/dev/null
X=export_partial; [ -f $W/DONE ] && X=export_final
if [ -f $W/$X.bin ]; then cp $W/$X.json $OUT/; split -b 15M -d $W/$X.bin $OUT/$X.bin.part; fi
ls -la $OUT; echo "call 5 ($PHASE) ends at $(el)s"
