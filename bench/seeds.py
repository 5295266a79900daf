"""Each recipe's accuracy over three seeds, fixed in advance (0, 1, 2: never chosen because they scored well), on every
core. `make bench` runs it in a fresh process; the chapters show what it saved (in `bench/results.json`).

Prints one JSON object per run: `{"recipe", "seed", "accuracy", "seconds", "threads"}`, and for the ten-digit recipes
`people_accuracy`, the accuracy on MNIST's test digits drawn as people write them (`people_set`)."""
import contextlib, functools, io, json, sys, time, torch
SEEDS = (0, 1, 2)

def recipes()->dict:
    "Recipe name -> a function of the seed that trains it and returns `(learn, accuracy)`"
    from mnist37.data import sample_tensors, full_tensors
    from mnist37.resnet import train_resnet, BOOK_RECIPE
    from mnist37.ten_digits import train_cnn_37, train_ten_digits
    sample, full = sample_tensors(), full_tensors()
    return {"resnet18, the book's recipe": lambda s: train_resnet(sample, seed=s, **BOOK_RECIPE),
            "resnet18, mnist37's recipe": lambda s: train_resnet(sample, seed=s),
            'small CNN, 3s and 7s': lambda s: train_cnn_37(sample, seed=s),
            'small CNN, ten digits': lambda s: train_ten_digits(full, seed=s),
            'small CNN, ten digits, without pen blur': lambda s: train_ten_digits(full, seed=s, people=False)}

@functools.cache
def test_people()->tuple:
    "MNIST's test digits drawn as people write them, prepared like a person's picture"
    from mnist37.data import full_tensors
    from mnist37.ten_digits import people_set
    return people_set(full_tensors(), 'testing')

def people_accuracy(learn)->float:
    x, y = test_people()
    with torch.no_grad(): preds = learn.model.eval()(x.flatten(0, 1).unsqueeze(1).float()/255).argmax(1)
    return round((preds == y.repeat(len(x))).float().mean().item(), 5)

def run(name:str, train, seed:int)->dict:
    "One recipe, one seed: its accuracy and seconds (and, for ten digits, on people's digits)"
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()): learn, acc = train(seed)
    res = dict(recipe=name, seed=seed, accuracy=round(float(acc), 5), seconds=round(time.perf_counter()-start, 2),
               threads=torch.get_num_threads())
    return {**res, 'people_accuracy': people_accuracy(learn)} if 'ten digits' in name else res

if __name__ == '__main__':
    only = sys.argv[1:]
    for name, train in recipes().items():
        if only and name not in only: continue
        for seed in SEEDS: print(json.dumps(run(name, train, seed)), flush=True)
