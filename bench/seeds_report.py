"""bench/results.md's table of seeds (`bench/seeds.py`), and how often each row of `mnist37 report` reaches the book's
accuracy over those seeds."""
import statistics

# The book's accuracies (chapter 4's printed outputs) for the report's trained rows, by their recipe in the table of
# seeds; pixel similarity learns nothing, so its one number (0.9511) is the pipeline's
BOOK = {'linear from scratch': 0.9677, 'linear with Learner': 0.9779, 'simple net': 0.9823,
        "simple net, the book's recipe": 0.9823,
        "resnet18, the book's recipe": 0.9961, "resnet18, mnist37's recipe": 0.9961}
REPORT_ROWS = ['linear from scratch', 'linear with Learner', 'simple net', "resnet18, mnist37's recipe"]  # as the report trains them

def runs_of(seeds:list, recipe:str)->list: return [s for s in seeds if s['recipe'] == recipe]

def reached(seeds:list, recipe:str)->tuple:
    "`(seeds at or above the book's accuracy, seeds)` of `recipe`, compared as printed: to 4 decimals"
    accs = [s['accuracy'] for s in runs_of(seeds, recipe)]
    return sum(round(a, 4) >= BOOK[recipe] for a in accs), len(accs)

def seeds_table(seeds:list)->str:
    "Each recipe: how many seeds, accuracy per seed, mean, spread, how many reach the book's, seconds; bf16 after its fp32"
    lines = ["| recipe | seeds | accuracy, seed by seed | mean | spread | ≥ the book's | as people write them | seconds | "
             "precision |", '|---|--:|---|--:|--:|--:|--:|--:|---|']
    names = list(dict.fromkeys(s['recipe'] for s in seeds))
    fp32 = [n for n in names if not n.endswith(', bf16')]
    for name in sorted(names, key=lambda n: (fp32.index(n.removesuffix(', bf16')) if n.removesuffix(', bf16') in fp32
                                             else len(fp32), n.endswith(', bf16'))):   # each recipe, then it in bf16
        runs = runs_of(seeds, name)
        accs, people = [s['accuracy'] for s in runs], [s['people_accuracy'] for s in runs if 'people_accuracy' in s]
        book = '{} of {} ({})'.format(*reached(seeds, name), BOOK[name]) if name in BOOK else ''
        lines.append(f"| {name} | {len(runs)} | {', '.join(f'{a:.4f}' for a in accs)} | {statistics.mean(accs):.4f} | "
                     f"{max(accs)-min(accs):.4f} | {book} | {f'{statistics.mean(people):.4f}' if people else ''} | "
                     f"{statistics.mean(s['seconds'] for s in runs):.1f} | {runs[0].get('precision', 'fp32')} |")
    lines += ['', "Seeds 0 to 4 (0 to 2 for the ten-digit recipes), on every core; spread: the largest accuracy less the "
              "smallest; seconds: the mean of a run; as people write them: the mean over the seeds."]
    return '\n'.join(lines)

def book_target(seeds:list)->str:
    "The targets table's row: every trained row of the report at or above the book's accuracy for 4 seeds of 5 or more"
    counts = {r: reached(seeds, r) for r in REPORT_ROWS if runs_of(seeds, r)}
    if not counts: return ''
    ok = all(n >= 4 and m >= 5 for n, m in counts.values())
    got = '; '.join(f'{r} {n} of {m}' for r, (n, m) in counts.items())
    return f"| every row of the report at or above the book's accuracy for ≥ 4 seeds of 5 | {got} | {'yes' if ok else 'no'} |"
