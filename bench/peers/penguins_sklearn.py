"""scikit-learn on the penguins split that HpcLearn used (train.csv / valid.csv written by
HpcLearn.Bench write-split): median imputation + standardisation for the measurements,
one-hot for island and sex, then logistic regression and an MLP like HpcLearn's (64, 32)."""
import csv, sys
import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUM = ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"]
CAT = ["Island", "Sex"]

def load(path):
    rows = list(csv.DictReader(open(path, newline="")))
    X = np.array([[float(r[c]) if r[c] else np.nan for c in NUM] + [r[c] or "missing" for c in CAT] for r in rows], dtype=object)
    return X, np.array([r["Species"] for r in rows])

Xtr, ytr = load(sys.argv[1])
Xva, yva = load(sys.argv[2])
pre = ColumnTransformer([
    ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), list(range(len(NUM)))),
    ("cat", OneHotEncoder(handle_unknown="ignore"), [len(NUM), len(NUM) + 1]),
])
for name, clf in [("scikit-learn LogisticRegression", LogisticRegression(max_iter=2000)),
                  ("scikit-learn MLPClassifier (64, 32)", MLPClassifier((64, 32), max_iter=2000, random_state=42))]:
    acc = make_pipeline(pre, clf).fit(Xtr, ytr).score(Xva, yva)
    print(f"{name:<46s} {acc:10.4f}")
