#if canImport(Glibc)
import Glibc
#endif

/// A few persistent threads that run the tasks of one job at a time with the
/// calling thread: what splits a kernel's pass over its data across cores.
///
/// A job is a count of tasks and a body called once per task with the task's
/// index and the participant running it (0 for the caller, 1… for the pool's
/// threads), so that each participant can work in scratch of its own. Tasks
/// are handed out in order to whoever is free; a caller that wants results
/// independent of the thread count gives each task its own output and
/// combines them in task order afterwards.
///
/// The pool is safe to use from several threads: while one job runs, another
/// caller's job runs all its tasks on that caller (participant 0), so
/// concurrent fits never share a participant's scratch. The threads start on
/// the first job that has more than one task and then wait, without using
/// CPU, for the next. On platforms without Glibc every job runs on the caller.
final class WorkerPool: @unchecked Sendable {
    /// The process's pool, `configuredWidth()` participants wide.
    static let shared = WorkerPool(width: configuredWidth())

    /// How many participants a job may have, the caller included.
    let width: Int

    #if canImport(Glibc)
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Signalled when a job's tasks become available or the pool stops.
    private let workReady = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Signalled when the last thread working on a job leaves it.
    private let workDone = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var threads: [pthread_t] = []
    #endif
    // Guarded by `mutex`.
    private var job: ((Int, Int) -> Void)?
    private var taskCount = 0
    private var nextTask = 0
    /// The pool's threads inside the current job.
    private var active = 0
    private var stopping = false

    /// A pool of `width` participants (at least 1): the caller and `width - 1` threads.
    init(width: Int) {
        self.width = max(width, 1)
        #if canImport(Glibc)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(workReady, nil)
        pthread_cond_init(workDone, nil)
        #endif
    }

    deinit {
        #if canImport(Glibc)
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_broadcast(workReady)
        pthread_mutex_unlock(mutex)
        for thread in threads { pthread_join(thread, nil) }
        pthread_cond_destroy(workDone)
        pthread_cond_destroy(workReady)
        pthread_mutex_destroy(mutex)
        workDone.deallocate()
        workReady.deallocate()
        mutex.deallocate()
        #endif
    }

    /// Participants in all: `SWIFTVI_NUM_THREADS` when it is a positive
    /// integer, else the number of online cores (at most 64).
    static func configuredWidth() -> Int {
        #if canImport(Glibc)
        if let text = getenv("SWIFTVI_NUM_THREADS"), let n = Int(String(cString: text)), n > 0 { return min(n, 64) }
        return min(max(sysconf(Int32(_SC_NPROCESSORS_ONLN)), 1), 64)
        #else
        return 1
        #endif
    }

    /// Calls `body(task, participant)` for every task in `0..<tasks` and
    /// returns when all have returned; `participant` is below `width`, and no
    /// two calls at the same time share it. The pool's threads take part
    /// unless another job is running.
    func run(tasks: Int, _ body: (_ task: Int, _ participant: Int) -> Void) {
        #if canImport(Glibc)
        guard width > 1, tasks > 1 else { return runOnCaller(tasks, body) }
        pthread_mutex_lock(mutex)
        guard job == nil else {
            pthread_mutex_unlock(mutex)
            return runOnCaller(tasks, body)
        }
        if threads.isEmpty { startThreads() }
        withoutActuallyEscaping(body) { body in
            job = body
            taskCount = tasks
            nextTask = 0
            pthread_cond_broadcast(workReady)
            while nextTask < taskCount {
                let task = nextTask
                nextTask += 1
                pthread_mutex_unlock(mutex)
                body(task, 0)
                pthread_mutex_lock(mutex)
            }
            while active > 0 { pthread_cond_wait(workDone, mutex) }
            job = nil
        }
        pthread_mutex_unlock(mutex)
        #else
        runOnCaller(tasks, body)
        #endif
    }

    private func runOnCaller(_ tasks: Int, _ body: (Int, Int) -> Void) {
        for task in 0..<tasks { body(task, 0) }
    }

    #if canImport(Glibc)
    /// Starts the threads; called with `mutex` held. A thread that cannot be
    /// started leaves its participant unused.
    private func startThreads() {
        threads.reserveCapacity(width - 1)
        for participant in 1..<width {
            let start = Unmanaged.passRetained(ThreadStart(pool: self, participant: participant)).toOpaque()
            var thread = pthread_t()
            if pthread_create(&thread, nil, { raw in
                let start = Unmanaged<ThreadStart>.fromOpaque(raw!).takeRetainedValue()
                start.pool.serve(as: start.participant)
                return nil
            }, start) == 0 {
                threads.append(thread)
            } else {
                Unmanaged<ThreadStart>.fromOpaque(start).release()
            }
        }
    }

    /// A thread's loop: joins each job that still has tasks, until the pool stops.
    private func serve(as participant: Int) {
        pthread_mutex_lock(mutex)
        while true {
            while !stopping && (job == nil || nextTask >= taskCount) { pthread_cond_wait(workReady, mutex) }
            if stopping { break }
            active += 1
            runAvailableTasks(as: participant)
            active -= 1
            if active == 0 { pthread_cond_signal(workDone) }
        }
        pthread_mutex_unlock(mutex)
    }

    /// Takes the current job's tasks until none is left; called with `mutex`
    /// held, which it releases while a task runs. The job's body is not kept
    /// past the return (the caller's `withoutActuallyEscaping` checks that).
    @inline(never)
    private func runAvailableTasks(as participant: Int) {
        guard let body = job else { return }
        while nextTask < taskCount {
            let task = nextTask
            nextTask += 1
            pthread_mutex_unlock(mutex)
            body(task, participant)
            pthread_mutex_lock(mutex)
        }
    }
    #endif
}

#if canImport(Glibc)
/// What a pool thread is started with. The pool is held unretained: its
/// deinit joins the thread before the pool goes away.
private final class ThreadStart {
    unowned(unsafe) let pool: WorkerPool
    let participant: Int

    init(pool: WorkerPool, participant: Int) {
        self.pool = pool
        self.participant = participant
    }
}
#endif
