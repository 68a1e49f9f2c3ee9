"""scikit-learn on the penguins data with a split like HpcLearn's (25% stratified, seed 42):
median imputation + standardisation for numbers, one-hot for island and sex."""
import json, sys
import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

rows = json.load(open(sys.argv[1]))
num = ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"]
cat = ["Island", "Sex"]
X = np.array([[r[c] if r[c] is not None else np.nan for c in num] + [r[c] or "missing" for c in cat] for r in rows], dtype=object)
y = np.array([r["Species"] for r in rows])
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, stratify=y, random_state=42)
pre = ColumnTransformer([
    ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), list(range(4))),
    ("cat", OneHotEncoder(handle_unknown="ignore"), [4, 5]),
])
for name, clf in [("scikit-learn LogisticRegression", LogisticRegression(max_iter=2000)),
                  ("scikit-learn MLPClassifier (64, 32)", MLPClassifier((64, 32), max_iter=2000, random_state=42))]:
    acc = make_pipeline(pre, clf).fit(Xtr, ytr).score(Xva, yva)
    print(f"{name:<44s} {acc:10.4f}")
