#!/usr/bin/env bash
# One trial of an Ember search plan: what each task of a Slurm job array or each pod of a
# Kubernetes Indexed Job runs. The trial number comes from the scheduler:
# SLURM_ARRAY_TASK_ID (Slurm) or JOB_COMPLETION_INDEX (Kubernetes).
#
#   run-trial.sh SEARCH_DIR
#
# SEARCH_DIR is the folder `cargo xtask search plan ... --out SEARCH_DIR` wrote, on storage
# every node sees; the trial's run folder and result.json are written into it. A trial that
# has finished already is skipped, so a task that is retried costs nothing.
# EMBER_XTASK names the command to run (default: `cargo xtask`, from the repository root).
set -euo pipefail

dir=${1:?usage: run-trial.sh SEARCH_DIR (the folder \`cargo xtask search plan\` wrote)}
trial=${SLURM_ARRAY_TASK_ID:-${JOB_COMPLETION_INDEX:-}}
if [[ -z "$trial" ]]; then
    echo "run-trial.sh: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set:" \
        "submit it as a job array (examples/cluster/search.sbatch) or an Indexed Job" \
        "(examples/cluster/search-job.yaml), or set one of them to the trial number" >&2
    exit 2
fi
# Use the cores the scheduler gave this task, not every core of the node.
if [[ -n "${SLURM_CPUS_PER_TASK:-}" && -z "${RAYON_NUM_THREADS:-}" ]]; then
    export RAYON_NUM_THREADS=$SLURM_CPUS_PER_TASK
fi
read -r -a xtask <<<"${EMBER_XTASK:-cargo xtask}"
exec "${xtask[@]}" search run-trial "$dir/plan.json" "$trial"
