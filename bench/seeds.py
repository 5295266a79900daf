"""Each recipe's accuracy over three seeds, fixed in advance (0, 1, 2: never chosen because they scored well), on every
core. `make bench` runs it in a fresh process; the notebooks show what it saved in `bench/seeds.json`.

Prints one JSON object per run: `{"recipe", "seed", "accuracy", "seconds", "threads"}`."""
import io, json, sys, time, contextlib, torch
SEEDS = (0, 1, 2)

def recipes():
    "Recipe name -> a function of the seed that trains it and returns `(learn, accuracy)`"
    from mnist37.data import sample_tensors, full_tensors
    from mnist37.resnet import train_resnet, BOOK_RECIPE
    from mnist37.ten_digits import train_cnn_37, train_ten_digits
    sample, full = sample_tensors(), full_tensors()
    return {'resnet18, the book\'s recipe': lambda s: train_resnet(sample, seed=s, **BOOK_RECIPE),
            'resnet18, mnist37\'s recipe': lambda s: train_resnet(sample, seed=s),
            'small CNN, 3s and 7s': lambda s: train_cnn_37(sample, seed=s),
            'small CNN, ten digits': lambda s: train_ten_digits(full, seed=s)}

if __name__ == '__main__':
    only = sys.argv[1:]
    for name, train in recipes().items():
        if only and name not in only: continue
        for seed in SEEDS:
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()): _, acc = train(seed)
            print(json.dumps(dict(recipe=name, seed=seed, accuracy=round(float(acc), 5),
                                  seconds=round(time.perf_counter()-start, 2), threads=torch.get_num_threads())), flush=True)
