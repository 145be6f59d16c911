//===- ThreadPool.c - the thread pool inside every CPU model --------------===//
//
// Compiled to LLVM bitcode when qcc is built and linked, internalized, into
// each CPU model, which exports it as P_parallel_create/P_parallel_destroy
// (ABI version 4): a ready qcc_parallel for callers without a pool of
// their own. The caller's thread works too: a pool of N threads starts
// N - 1 workers. Each parallel_for cuts [0, n) into one contiguous range
// per thread, handed out in order to whichever thread asks; results do not
// depend on who runs which range (qcc's tasks write disjoint data).
//
//===----------------------------------------------------------------------===//
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

typedef void (*qcc_task_fn)(void *task, int64_t begin, int64_t end);
typedef struct qcc_parallel {
  void (*parallel_for)(void *context, int64_t n, qcc_task_fn task, void *arg);
  void *context;
  int32_t num_threads;
} qcc_parallel;

typedef struct qcc_pool {
  qcc_parallel api; /* first: the handle callers get */
  int32_t threads;  /* including the caller's */
  pthread_t *workers;
  pthread_mutex_t mutex, job; /* job: one parallel_for at a time */
  pthread_cond_t wake, done;
  atomic_uint_fast64_t generation;
  int stop;
  qcc_task_fn task;
  void *arg;
  int64_t n;
  int32_t chunks;
  atomic_int next, finished;
} qcc_pool;

/* Iterations a waiting thread spins before it sleeps: a decode step calls
 * parallel_for every few microseconds. */
enum { kSpins = 1 << 14 };

static void qcc_pool_run_chunks(qcc_pool *p) {
  for (;;) {
    int c = atomic_fetch_add(&p->next, 1);
    if (c >= p->chunks)
      return;
    int64_t begin = p->n * c / p->chunks, end = p->n * (c + 1) / p->chunks;
    p->task(p->arg, begin, end);
    if (atomic_fetch_add(&p->finished, 1) + 1 == p->chunks) {
      pthread_mutex_lock(&p->mutex);
      pthread_cond_broadcast(&p->done);
      pthread_mutex_unlock(&p->mutex);
    }
  }
}

static void *qcc_pool_worker(void *arg) {
  qcc_pool *p = arg;
  uint64_t seen = 0;
  for (;;) {
    for (int i = 0; i < kSpins && atomic_load(&p->generation) == seen; ++i)
      ;
    pthread_mutex_lock(&p->mutex);
    while (!p->stop && atomic_load(&p->generation) == seen)
      pthread_cond_wait(&p->wake, &p->mutex);
    int stop = p->stop;
    pthread_mutex_unlock(&p->mutex);
    if (stop)
      return NULL;
    seen = atomic_load(&p->generation);
    qcc_pool_run_chunks(p);
  }
}

static void qcc_pool_parallel_for(void *context, int64_t n, qcc_task_fn task,
                                  void *arg) {
  qcc_pool *p = context;
  if (n <= 0)
    return;
  int32_t chunks = p->threads < n ? p->threads : (int32_t)n;
  if (chunks <= 1) {
    task(arg, 0, n);
    return;
  }
  pthread_mutex_lock(&p->job);
  p->task = task;
  p->arg = arg;
  p->n = n;
  p->chunks = chunks;
  atomic_store(&p->next, 0);
  atomic_store(&p->finished, 0);
  pthread_mutex_lock(&p->mutex);
  atomic_fetch_add(&p->generation, 1);
  pthread_cond_broadcast(&p->wake);
  pthread_mutex_unlock(&p->mutex);
  qcc_pool_run_chunks(p);
  for (int i = 0; i < kSpins && atomic_load(&p->finished) < chunks; ++i)
    ;
  pthread_mutex_lock(&p->mutex);
  while (atomic_load(&p->finished) < chunks)
    pthread_cond_wait(&p->done, &p->mutex);
  pthread_mutex_unlock(&p->mutex);
  pthread_mutex_unlock(&p->job);
}

qcc_parallel *qcc_pool_create(int32_t threads) {
  if (threads < 1)
    threads = 1;
  qcc_pool *p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  p->threads = threads;
  p->api.parallel_for = qcc_pool_parallel_for;
  p->api.context = p;
  p->api.num_threads = threads;
  pthread_mutex_init(&p->mutex, NULL);
  pthread_mutex_init(&p->job, NULL);
  pthread_cond_init(&p->wake, NULL);
  pthread_cond_init(&p->done, NULL);
  p->workers = calloc(threads, sizeof *p->workers);
  if (!p->workers) {
    free(p);
    return NULL;
  }
  for (int32_t i = 0; i + 1 < threads; ++i)
    if (pthread_create(&p->workers[i], NULL, qcc_pool_worker, p)) {
      /* Fewer threads than asked: the pool still works with those. */
      p->threads = i + 1;
      p->api.num_threads = i + 1;
      break;
    }
  return &p->api;
}

void qcc_pool_destroy(qcc_parallel *handle) {
  if (!handle)
    return;
  qcc_pool *p = (qcc_pool *)handle;
  pthread_mutex_lock(&p->mutex);
  p->stop = 1;
  pthread_cond_broadcast(&p->wake);
  pthread_mutex_unlock(&p->mutex);
  for (int32_t i = 0; i + 1 < p->threads; ++i)
    pthread_join(p->workers[i], NULL);
  pthread_mutex_destroy(&p->mutex);
  pthread_mutex_destroy(&p->job);
  pthread_cond_destroy(&p->wake);
  pthread_cond_destroy(&p->done);
  free(p->workers);
  free(p);
}
