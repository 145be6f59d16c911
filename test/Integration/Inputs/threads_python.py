"""The Python API with threads: the same outputs as one thread.
usage: threads_python.py LIB.so INPUT.npy THREADS"""
import sys

import numpy as np
import qcc

lib, inp, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
x = np.load(inp)
one = qcc.load(lib)(x=x)
many = qcc.load(lib, threads=threads)(x=x)
print("python threads=%d identical: %s" % (
    threads, all(np.array_equal(one[k], many[k]) for k in one)))
