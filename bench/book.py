"""The book's own chapter-4 code, stage by stage, as fastbook writes it (PNG by PNG, `DataLoader(list(zip(x, y)))`,
`Learner.fit`, `vision_learner`). `make bench` runs it in a fresh process and compares it with `mnist37 report`.

Prints one JSON object per stage on stdout: `{"stage", "seconds", "since_start", "accuracy"}`, then one with the peak
memory."""
import json, resource, sys, time, warnings
start = time.perf_counter()
warnings.filterwarnings('ignore')
from fastai.vision.all import *
from fastbook import *

def emit(stage, t0, acc=None):
    now = time.perf_counter()
    print(json.dumps(dict(stage=stage, seconds=round(now-t0, 3), since_start=round(now-start, 3),
                          accuracy=None if acc is None else round(float(acc), 5))), flush=True)

emit('import', start)
set_seed(42)

# Loading: every PNG opened and turned into a tensor, one at a time.
t = time.perf_counter()
path = untar_data(URLs.MNIST_SAMPLE)
threes = (path/'train'/'3').ls().sorted()
sevens = (path/'train'/'7').ls().sorted()
three_tensors = [tensor(Image.open(o)) for o in threes]
seven_tensors = [tensor(Image.open(o)) for o in sevens]
stacked_threes = torch.stack(three_tensors).float()/255
stacked_sevens = torch.stack(seven_tensors).float()/255
valid_3_tens = torch.stack([tensor(Image.open(o)) for o in (path/'valid'/'3').ls()]).float()/255
valid_7_tens = torch.stack([tensor(Image.open(o)) for o in (path/'valid'/'7').ls()]).float()/255
emit('load', t)

# Pixel similarity.
t = time.perf_counter()
mean3 = stacked_threes.mean(0)
mean7 = stacked_sevens.mean(0)
def mnist_distance(a,b): return (a-b).abs().mean((-1,-2))
def is_3(x): return mnist_distance(x,mean3) < mnist_distance(x,mean7)
accuracy_3s = is_3(valid_3_tens).float().mean()
accuracy_7s = (1 - is_3(valid_7_tens).float()).mean()
emit('pixel similarity', t, (accuracy_3s+accuracy_7s)/2)

# Linear model from scratch: init_params, linear1, mnist_loss, SGD by hand, 20 epochs at lr 1.
t = time.perf_counter()
train_x = torch.cat([stacked_threes, stacked_sevens]).view(-1, 28*28)
train_y = tensor([1]*len(threes) + [0]*len(sevens)).unsqueeze(1)
dset = list(zip(train_x,train_y))
valid_x = torch.cat([valid_3_tens, valid_7_tens]).view(-1, 28*28)
valid_y = tensor([1]*len(valid_3_tens) + [0]*len(valid_7_tens)).unsqueeze(1)
valid_dset = list(zip(valid_x,valid_y))
def init_params(size, std=1.0): return (torch.randn(size)*std).requires_grad_()
weights = init_params((28*28,1))
bias = init_params(1)
def linear1(xb): return xb@weights + bias
def mnist_loss(predictions, targets):
    predictions = predictions.sigmoid()
    return torch.where(targets==1, 1-predictions, predictions).mean()
dl = DataLoader(dset, batch_size=256)
valid_dl = DataLoader(valid_dset, batch_size=256)
def calc_grad(xb, yb, model):
    preds = model(xb)
    loss = mnist_loss(preds, yb)
    loss.backward()
def train_epoch(model, lr, params):
    for xb,yb in dl:
        calc_grad(xb, yb, model)
        for p in params:
            p.data -= p.grad*lr
            p.grad.zero_()
def batch_accuracy(xb, yb):
    preds = xb.sigmoid()
    correct = (preds>0.5) == yb
    return correct.float().mean()
def validate_epoch(model):
    accs = [batch_accuracy(model(xb), yb) for xb,yb in valid_dl]
    return round(torch.stack(accs).mean().item(), 4)
lr = 1.
params = weights,bias
for i in range(20): train_epoch(linear1, lr, params)
emit('linear from scratch', t, validate_epoch(linear1))

# Linear model with fastai's Learner: nn.Linear, SGD, 20 epochs at lr 1.
t = time.perf_counter()
dls = DataLoaders(dl, valid_dl)
learn = Learner(dls, nn.Linear(28*28,1), opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy)
with learn.no_bar(), learn.no_logging(): learn.fit(20, lr=lr)
emit('linear with Learner', t, learn.recorder.values[-1][2])

# The simple neural net: 40 epochs at lr 0.1.
t = time.perf_counter()
simple_net = nn.Sequential(nn.Linear(28*28,30), nn.ReLU(), nn.Linear(30,1))
learn = Learner(dls, simple_net, opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy)
with learn.no_bar(), learn.no_logging(): learn.fit(40, 0.1)
emit('simple net', t, learn.recorder.values[-1][2])

# ResNet-18 from the PNG folders (random init: no pretrained weights offline), one cycle.
t = time.perf_counter()
dls = ImageDataLoaders.from_folder(path)
learn = vision_learner(dls, resnet18, pretrained=False, loss_func=F.cross_entropy, metrics=accuracy)
with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(1, 0.1)
emit('resnet18', t, learn.recorder.values[-1][2])

print(json.dumps(dict(stage='total', seconds=round(time.perf_counter()-start, 3),
                      peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024))), flush=True)
