"""Contract harness: real SkyPilot output for skyloop's contract tests (test/contract/).

Run with the Python of a SkyPilot virtual environment (scripts/install-skypilot.sh):

    python sky_contract.py < batch.json > results.json

A batch is a list of scenarios; each gives a frozen clock, the state of the jobs controller and the managed
jobs (their status transitions, written through SkyPilot's own sky/jobs/state.py functions), then the `sky`
commands to run. Every command runs SkyPilot's unmodified code: the click CLI, the client SDK and its
request decoding, the API server's FastAPI app and request executor, the server-side job functions and
the code ManagedJobCodeGen generates for the controller. Only the cloud boundary is replaced:

  * the HTTP hop: `requests` hands each call to the API server app in this process (FastAPI TestClient),
    and the server's executor runs a request in this process instead of a worker process;
  * the controller VM: commands for the controller run locally in a subprocess, against the same
    managed-jobs database; provisioning it (cloud API, SSH, Ray) returns the UP controller's handle with
    "provisioning skipped", as SkyPilot does for an UP cluster whose config hash is unchanged; copying files
    to it is a local copy; its cloud catalog is one row and its cloud account has no identity; processes it
    starts end with the harness;
  * the controller's cluster status: UP, STOPPED or absent, as the scenario says.

Nothing of SkyPilot is copied here: it is imported and called.
"""
import asyncio
import contextlib
import ctypes
import glob
import inspect
import io
import json
import os
import select
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import traceback

import skyloop_clock  # the frozen clock (sitecustomize.py installed it)

# SkyPilot's modules are imported inside main() after HOME points at the scenario home.


def _call(module, fn_name, **kwargs):
    """Calls module.name (or its `_async` twin) with the arguments its signature takes."""
    fn = getattr(module, fn_name, None)
    if fn is None:
        fn = getattr(module, fn_name + "_async", None)
    if fn is None:
        raise AttributeError(f"{module.__name__} has no {fn_name}")
    params = inspect.signature(fn).parameters
    args = {k: v for k, v in kwargs.items() if k in params}
    if 'callback_func' in params and 'callback_func' not in args:
        args['callback_func'] = _async_noop if inspect.iscoroutinefunction(fn) else _noop
    result = fn(**args)
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
    return result


def _noop(*_args, **_kwargs):
    return None


async def _async_noop(*_args, **_kwargs):
    return None


@contextlib.contextmanager
def _output_to(fd):
    """Points this process's stdout and stderr at fd for a while."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])


def _die_with_parent():
    """A forked client or worker must not outlive the harness (e.g. when a test run is stopped)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL('libc.so.6', use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


_INHERITED_CONNECTIONS = []


def _fresh_database_connections():
    """In a forked process: no database connection of the parent may be reused.

    A copied sqlite connection believes it holds the parent's WAL read locks (fcntl locks are not inherited)
    and can spin forever; SQLAlchemy engines must not reuse the parent's pooled connections.
    """
    try:
        import sqlalchemy  # pylint: disable=import-outside-toplevel
        from sqlalchemy.ext import asyncio as sqlalchemy_asyncio  # pylint: disable=import-outside-toplevel
    except ImportError:
        sqlalchemy = sqlalchemy_asyncio = None
    for name, module in list(sys.modules.items()):
        if not name.startswith('sky') or module is None:
            continue
        for obj in list(vars(module).values()):
            if sqlalchemy is not None and isinstance(obj, sqlalchemy.engine.Engine):
                obj.dispose(close=False)
            elif sqlalchemy is not None and isinstance(obj, sqlalchemy_asyncio.AsyncEngine):
                obj.sync_engine.dispose(close=False)
            elif type(obj).__name__ == 'SQLiteConn' and isinstance(obj, threading.local) and hasattr(obj, 'conn'):
                # SkyPilot's thread-local sqlite connection (e.g. the API server's requests table). The old
                # one is kept referenced, never closed: closing it could touch the parent's files.
                _INHERITED_CONNECTIONS.append(obj.conn)
                obj.conn = sqlite3.connect(obj.db_path, timeout=60)
                obj.cursor = obj.conn.cursor()
                if hasattr(obj, '_async_conn'):
                    obj._async_conn = None  # pylint: disable=protected-access


def _forget_cached_calls():
    """Empties SkyPilot's memoised functions (e.g. the request env vars): a `sky` process starts without them."""
    for name, module in list(sys.modules.items()):
        if not name.startswith('sky') or module is None:
            continue
        for obj in list(vars(module).values()):
            if callable(obj) and hasattr(obj, 'cache_clear'):
                obj.cache_clear()


class Harness:

    def __init__(self):
        # pylint: disable=import-outside-toplevel
        import requests
        import sky
        from sky.backends import backend_utils
        from sky.backends import cloud_vm_ray_backend
        from sky.jobs import state
        from sky.server.requests import executor
        from sky.utils import status_lib
        try:
            from sky.client.cli import command as cli_module
        except ImportError:
            from sky import cli as cli_module
        self.sky = sky
        self.state = state
        self.cli = cli_module.cli
        self.status_lib = status_lib
        self.backend_utils = backend_utils
        self.vm = cloud_vm_ray_backend
        self.executor = executor
        self.controller = 'up'
        self.standins = []
        self.queued_r, self.queued_w = os.pipe()
        self.version = sky.__version__
        self._patch_executor()
        self._patch_controller()
        self._write_python_path()
        self.write_controller_catalog()
        self._start_pool()
        self._start_server()

    # ----- the HTTP hop -------------------------------------------------------------------------------

    def _start_server(self):
        """The API server's FastAPI app, served by uvicorn on a loopback port of this process."""
        # pylint: disable=import-outside-toplevel
        import uvicorn

        from sky.server import server
        sock = socket.socket()
        sock.bind(('127.0.0.1', 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(server.app, lifespan='off', log_level='warning', access_log=False)
        self.server = uvicorn.Server(config)
        threading.Thread(target=self.server.run, kwargs={'sockets': [sock]}, daemon=True).start()
        while not self.server.started:
            time.sleep(0.01)

    def _forward_default_endpoint(self):
        """In a client process: the default local endpoint reaches the harness's server (a port forward)."""
        # pylint: disable=import-outside-toplevel
        import requests
        original = requests.adapters.HTTPAdapter.send
        port = self.port

        def send(adapter, request, *args, **kwargs):
            request.url = request.url.replace('://127.0.0.1:46580', f'://127.0.0.1:{port}', 1)
            return original(adapter, request, *args, **kwargs)

        requests.adapters.HTTPAdapter.send = send

    def _patch_executor(self):
        executor = self.executor
        queued = self.queued_w

        class WorkerQueue:
            """The request queue: the harness's main thread starts a worker process for each request."""

            def __init__(self, *_args, **_kwargs):
                pass

            def put(self, request):
                # (request_id, ignore_return_value[, retryable]): what a worker takes from the queue.
                os.write(queued, (json.dumps([request[0], request[1]]) + '\n').encode())

            async def put_async(self, request):
                self.put(request)

        executor._get_queue = WorkerQueue  # pylint: disable=protected-access

    def _start_pool(self):
        """The worker pool: a process forked before the API server's threads exist.

        Forking a request worker from a process with running threads can leave the worker holding a copy of
        a lock another thread held at that instant (logging, sqlite, the request's file lock) and hang it;
        the pool has a single thread, and forks one worker per request from it.
        """
        self.pool_r, pool_w = os.pipe()
        pid = os.fork()
        if pid:
            os.close(self.pool_r)
            self.pool_w = pool_w
            return
        os.close(pool_w)
        _die_with_parent()
        workers = []
        buffered = b''
        while True:
            chunk = os.read(self.pool_r, 65536)
            if not chunk:
                os._exit(0)  # pylint: disable=protected-access
            buffered += chunk
            *lines, buffered = buffered.split(b'\n')
            for line in lines:
                message = json.loads(line)
                if message['op'] == 'stop':
                    for worker in workers:
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(worker, signal.SIGKILL)
                    workers.clear()
                else:
                    workers.append(self._fork_worker(message))
            with contextlib.suppress(ChildProcessError):
                while os.waitpid(-1, os.WNOHANG)[0]:
                    pass

    def _fork_worker(self, message):
        """In the pool: a worker process running one request with the scenario's clock and controller."""
        pid = os.fork()
        if pid:
            return pid
        code = 1
        try:
            _die_with_parent()
            _fresh_database_connections()
            self.controller = message['controller']
            skyloop_clock.set_now(message['now'])
            os.environ['SKYLOOP_CONTRACT_NOW'] = str(message['now'])
            self.executor._request_execution_wrapper(message['request_id'], message['ignore_return_value'])  # pylint: disable=protected-access
            code = 0
        except BaseException:  # pylint: disable=broad-except
            traceback.print_exc()  # a request left RUNNING would keep its client waiting
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)  # pylint: disable=protected-access

    def _start_worker(self, request_id, ignore_return_value):
        message = {'op': 'run', 'request_id': request_id, 'ignore_return_value': ignore_return_value,
                   'controller': self.controller, 'now': skyloop_clock.now()}
        os.write(self.pool_w, (json.dumps(message) + '\n').encode())

    def _serve_queue(self, until_pid, timeout):
        """Starts workers for queued requests until the process until_pid exits; returns its wait status."""
        deadline = time.monotonic() + timeout
        pending = b''
        while True:
            readable, _, _ = select.select([self.queued_r], [], [], 0.02)
            if readable:
                pending += os.read(self.queued_r, 65536)
                *lines, pending = pending.split(b'\n')
                for line in lines:
                    self._start_worker(*json.loads(line))
            pid, status = os.waitpid(until_pid, os.WNOHANG)
            if pid:
                return status
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(until_pid, signal.SIGKILL)
                os.waitpid(until_pid, 0)
                return None

    def stop_workers(self):
        """Ends the requests still running (e.g. `sky jobs logs` waiting for a job that never comes)."""
        os.write(self.pool_w, b'{"op": "stop"}\n')

    # ----- the controller VM and its cluster status --------------------------------------------------

    def _controller_name(self):
        # pylint: disable=import-outside-toplevel
        from sky.utils import controller_utils
        return controller_utils.Controllers.JOBS_CONTROLLER.value.cluster_name

    def _controller_handle(self):
        sky = self.sky
        name = self._controller_name()
        return self.vm.CloudVmRayResourceHandle(
            cluster_name=name,
            cluster_name_on_cloud=name,
            cluster_yaml=None,
            launched_nodes=1,
            launched_resources=sky.Resources(cloud=sky.clouds.AWS(),
                                             instance_type='m6i.xlarge',
                                             region='us-east-1'),
            stable_internal_external_ips=[('10.0.0.1', '127.0.0.1')],
            stable_ssh_ports=[22])

    def _patch_controller(self):
        harness = self
        status_lib = self.status_lib

        def refresh_cluster_status_handle(cluster_name, *args, **kwargs):
            del args, kwargs
            if not cluster_name.startswith('sky-jobs-controller'):
                return None, None
            if harness.controller == 'absent':
                return None, None
            status = (status_lib.ClusterStatus.UP
                      if harness.controller == 'up' else status_lib.ClusterStatus.STOPPED)
            return status, harness._controller_handle()

        self.backend_utils.refresh_cluster_status_handle = refresh_cluster_status_handle
        # The network probe (HEAD requests to public IPs) guarding a status refresh: the harness's cloud is
        # always reachable, so the answer depends only on the controllers' status above.
        if hasattr(self.backend_utils, 'check_network_connection'):
            self.backend_utils.check_network_connection = lambda: None

        def get_command_runners(self, *args, **kwargs):
            del self, args, kwargs
            return [harness.local_runner()]

        self.vm.CloudVmRayResourceHandle.get_command_runners = get_command_runners

        # Provisioning the controller VM (cloud API, SSH, Ray, setup): the VM is up already, as the scenario says,
        # and provisioned with this very config. The real step then returns (handle, True) without printing
        # (cloud_vm_ray_backend.py: config hash matches -> provisioning_skipped), and execution.py skips setup.
        real_provision = self.vm.CloudVmRayBackend._provision  # pylint: disable=protected-access

        def provision(backend, task, to_provision, dryrun, stream_logs, cluster_name, *args, **kwargs):
            if cluster_name != harness._controller_name():
                return real_provision(backend, task, to_provision, dryrun, stream_logs, cluster_name, *args, **kwargs)
            return harness._controller_handle(), True

        self.vm.CloudVmRayBackend._provision = provision  # pylint: disable=protected-access

        # Copying the controller task's files to the VM (rsync over SSH): the "VM" is this machine, so a local copy.
        def sync_file_mounts(backend, handle, all_file_mounts, storage_mounts):
            del backend, handle, storage_mounts
            for dst, src in (all_file_mounts or {}).items():
                dst, src = os.path.expanduser(dst), os.path.expanduser(src)
                if os.path.abspath(dst) == os.path.abspath(src):
                    continue  # e.g. the catalog, at the same path on the controller
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                if os.path.isdir(src):
                    shutil.copytree(src, dst, dirs_exist_ok=True)
                else:
                    shutil.copyfile(src, dst)

        self.vm.CloudVmRayBackend._sync_file_mounts = sync_file_mounts  # pylint: disable=protected-access

        # The cloud account's identity (an API call): the harness's cloud has no accounts to tell apart.
        self.sky.clouds.AWS.get_user_identities = classmethod(lambda cls: None)
        from sky import exceptions  # pylint: disable=import-outside-toplevel

        def no_identity(cls):
            raise exceptions.CloudUserIdentityError(f'{cls.__name__}: no account in the contract harness')

        self.sky.clouds.AWS.get_active_user_identity = classmethod(no_identity)

    def local_runner(self):
        # pylint: disable=import-outside-toplevel
        from sky.utils import command_runner
        if hasattr(command_runner, 'LocalProcessCommandRunner'):
            return command_runner.LocalProcessCommandRunner()

        # Releases without a local runner: SkyPilot's SSH runner with `bash -c` where ssh would be.
        class LocalSSHRunner(command_runner.SSHCommandRunner):

            def __init__(self):  # pylint: disable=super-init-not-called
                self.node = ('127.0.0.1', 22)
                self.ip = '127.0.0.1'
                self.port = 22
                self.ssh_user = 'harness'
                self.ssh_private_key = None
                self.ssh_control_name = None
                self.disable_control_master = True
                self.docker_user = None
                self.ssh_proxy_command = None

            def ssh_base_command(self, **_kwargs):
                return ['bash', '-c']

        return LocalSSHRunner()

    def register_controller(self, up):
        """The jobs controller in the cluster table, UP, as `sky jobs launch` left it the first time (or not there).

        A launch reads the controller's record (its resources, for the controller task's own), not only its status.
        """
        # pylint: disable=import-outside-toplevel
        from sky import global_user_state
        handle = self._controller_handle()
        if not up:
            if global_user_state.get_cluster_from_name(handle.cluster_name) is not None:
                global_user_state.remove_cluster(handle.cluster_name, terminate=True)
            return
        _call(global_user_state, 'add_or_update_cluster', cluster_name=handle.cluster_name, cluster_handle=handle,
              requested_resources={handle.launched_resources}, ready=True, is_launch=True)

    def write_controller_catalog(self):
        """The cloud's catalog (fetched from the network by SkyPilot) reduced to the controller VM's one row."""
        # pylint: disable=import-outside-toplevel
        try:
            from sky.catalog import common as catalog_common
        except ImportError:
            from sky.clouds.service_catalog import common as catalog_common
        path = catalog_common.get_catalog_path('aws/vms.csv')
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as f:
            f.write('InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,'
                    'AvailabilityZone\n'
                    'm6i.xlarge,,,4.0,16.0,,0.192,0.0531,us-east-1,use1-az1\n')

    def _write_python_path(self):
        # The generated controller code starts `$(cat ~/.sky/python_path || which python3)`.
        path = os.path.expanduser('~/.sky/python_path')
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(sys.executable)

    # ----- the managed-jobs database ------------------------------------------------------------------

    def reset_jobs(self):
        for db in glob.glob(os.path.expanduser('~/.sky/*jobs*.db')):
            conn = sqlite3.connect(db)
            try:
                tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
                for t in tables:
                    if t not in ('alembic_version', 'sqlite_sequence'):
                        conn.execute(f'DELETE FROM "{t}"')
                if 'sqlite_sequence' in tables:
                    conn.execute('DELETE FROM sqlite_sequence')
                conn.commit()
            finally:
                conn.close()

    def add_user(self, name, user_hash):
        # pylint: disable=import-outside-toplevel
        from sky import global_user_state
        from sky import models
        global_user_state.add_or_update_user(models.User(id=user_hash, name=name))

    def add_job(self, job, users, now):
        state = self.state
        s = state.ManagedJobStatus
        user_hash = users[job.get('user') or next(iter(users))]
        tasks = job['tasks']
        first_t = tasks[0]['events'][0][1]
        skyloop_clock.set_now(first_t)
        if hasattr(state, 'set_job_info_without_job_id'):
            job_id = _call(state, 'set_job_info_without_job_id', name=job['name'], workspace='default',
                           entrypoint='sky jobs launch task.yaml', pool=None, pool_hash=None,
                           user_hash=user_hash)
        else:
            job_id = job['id']  # before 0.10, the id the controller's job queue gave
            _call(state, 'set_job_info', job_id=job_id, name=job['name'])
        for task_id, task in enumerate(tasks):
            _call(state, 'set_pending', job_id=job_id, task_id=task_id, task_name=task['name'],
                  resources_str=task['resources'], metadata='{}')
        _call(state, 'scheduler_set_waiting', job_id=job_id, job_ids=[job_id], dag_yaml_path='~/dag.yaml',
              env_file_path='~/env', user_hash=user_hash, dag_yaml_content='', original_user_yaml_content='',
              env_file_content='', config_file_content=None, priority=500)
        # Transitions in time order across tasks, each at its own instant.
        events = sorted(((t, i, n, st) for i, task in enumerate(tasks)
                         for n, (st, t) in enumerate(task['events'])), key=lambda e: (e[0], e[1], e[2]))
        recovering = set()
        launching = launched = False
        for t, task_id, n, status in events:
            if t > now:
                raise ValueError(f'job {job["name"]!r}: {status} at {t} is after the scenario instant {now}')
            skyloop_clock.set_now(t)
            task = tasks[task_id]
            common = dict(job_id=job_id, task_id=task_id)
            if status == 'PENDING':
                if n > 0 and hasattr(state, 'set_backoff_pending_async'):
                    _call(state, 'set_backoff_pending', **common)
            elif status in ('SUBMITTED', 'STARTING'):
                # The scheduler starts the job's controller (LAUNCHING) before it submits the first task.
                if not launching:
                    _call(state, 'scheduler_set_launching', job_id=job_id,
                          current_state=state.ManagedJobScheduleState.WAITING)
                    launching = True
                _call(state, 'set_submitted' if status == 'SUBMITTED' else 'set_starting', **common,
                      run_timestamp='sky-harness', submit_time=t, resources_str=task['resources'],
                      specs={'max_restarts_on_errors': 0})
            elif status == 'RUNNING':
                if task_id in recovering:
                    _call(state, 'set_recovered', **common, recovered_time=t)
                else:
                    _call(state, 'set_started', **common, start_time=t)
                if not launched:
                    _call(state, 'scheduler_set_alive', job_id=job_id)
                    launched = True
            elif status == 'RECOVERING':
                recovering.add(task_id)
                _call(state, 'set_recovering', **common, force_transit_to_recovering=False)
            elif status == 'SUCCEEDED':
                _call(state, 'set_succeeded', **common, end_time=t)
            elif status.startswith('FAILED'):
                _call(state, 'set_failed', **common, failure_type=s[status],
                      failure_reason=task.get('failure_reason', 'harness failure'), end_time=t)
            elif status == 'CANCELLING':
                _call(state, 'set_cancelling', job_id=job_id)
            elif status == 'CANCELLED':
                _call(state, 'set_cancelled', job_id=job_id)
            else:
                raise ValueError(f'unknown status {status}')
        for task_id, task in enumerate(tasks):
            if 'log' in task:
                # The log the controller keeps of a finished task (what it downloaded from the job cluster).
                path = os.path.expanduser(f'~/sky_logs/managed-harness/job-{job_id}-task-{task_id}.log')
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, 'w', encoding='utf-8') as f:
                    f.write(''.join(line + '\n' for line in task['log']))
                _call(state, 'set_local_log_file', job_id=job_id, task_id=task_id, local_log_file=path)
        if job.get('controller_alive'):
            self.start_standin_controller(job_id)
        final = [task['events'][-1][0] for task in tasks]
        if all(s[st].is_terminal() for st in final) or final[0] == 'CANCELLED':
            _call(state, 'scheduler_set_done', job_id=job_id)
        return job_id

    def start_standin_controller(self, job_id):
        """A live stand-in for a started job's controller process (the controller VM runs none here).

        SkyPilot's liveness check finds it alive and a controller (its command line ends like one:
        `-m sky.jobs.controller … --job-id N`; newer releases also compare its start time), so `sky jobs cancel`
        takes its real path (the signal) instead of marking the job FAILED_CONTROLLER. It never acts on the signal.
        """
        # pylint: disable=import-outside-toplevel
        import psutil
        proc = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, '-c', 'import time; time.sleep(86400)', '-m', 'sky.jobs.controller', '--job-id',
             str(job_id)], preexec_fn=_die_with_parent, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        self.standins.append(proc)
        # What a controller does first when it starts (sky/jobs/controller.py): make the directory it takes cancel
        # signals from. 0.11's cancel writes its signal there without creating it (later ones lock it into being).
        from sky.jobs import constants as jobs_constants
        signals = getattr(jobs_constants, 'CONSOLIDATED_SIGNAL_PATH', None)
        if signals:
            os.makedirs(signals, exist_ok=True)
        started_at = psutil.Process(proc.pid).create_time()
        # Where the scheduler records the controller it started (job_info), as each release's schema has it.
        for db in glob.glob(os.path.expanduser('~/.sky/*jobs*.db')):
            conn = sqlite3.connect(db)
            try:
                columns = [r[1] for r in conn.execute('PRAGMA table_info(job_info)')]
                if 'controller_pid' not in columns:
                    continue
                if 'controller_pid_started_at' in columns:
                    conn.execute('UPDATE job_info SET controller_pid = ?, controller_pid_started_at = ? WHERE spot_job_id = ?',
                                 (proc.pid, started_at, job_id))
                else:
                    conn.execute('UPDATE job_info SET controller_pid = ? WHERE spot_job_id = ?', (proc.pid, job_id))
                conn.commit()
            finally:
                conn.close()

    def stop_standins(self):
        for proc in self.standins:
            proc.kill()
            proc.wait()
        self.standins.clear()

    # ----- the CLI --------------------------------------------------------------------------------------

    def run_cli(self, argv, env, timeout):
        """Runs `sky ARGV` as a new process would: a fork of this one, with fresh client-side caches."""
        sys.stdout.flush()
        sys.stderr.flush()
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    os.setpgid(0, 0)  # its own process group, ended whole on a time-out
                    _die_with_parent()
                    _fresh_database_connections()
                    os.dup2(out.fileno(), 1)
                    os.dup2(err.fileno(), 2)
                    os.environ.update(env)
                    _forget_cached_calls()
                    self._forward_default_endpoint()
                    code = self._cli_main(argv)
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(code)  # pylint: disable=protected-access
            status = self._serve_queue(pid, timeout)
            out.seek(0)
            err.seek(0)
            return {'argv': argv, 'stdout': out.read().decode('utf-8', 'replace'),
                    'stderr': err.read().decode('utf-8', 'replace'),
                    'exit_code': None if status is None else os.waitstatus_to_exitcode(status),
                    'timed_out': status is None}

    def _cli_main(self, argv):
        try:
            self.cli.main(args=argv, prog_name='sky', standalone_mode=True)
        except SystemExit as e:
            if isinstance(e.code, int) or e.code is None:
                return e.code or 0
            print(e.code, file=sys.stderr)
            return 1
        except BaseException as e:  # pylint: disable=broad-except
            # What the interpreter prints for an uncaught exception (SkyPilot sets sys.tracebacklimit = 0
            # to print just `sky.exceptions.X: message`).
            traceback.print_exception(type(e), e, e.__traceback__, limit=getattr(sys, 'tracebacklimit', None))
            return 1
        return 0

    def run_scenario(self, scenario):
        users = scenario.get('users') or {'alice': 'a11ce000'}
        for name, user_hash in users.items():
            self.add_user(name, user_hash)
        self.reset_jobs()
        ids = [self.add_job(dict(job, id=n + 1), users, scenario['now']) for n, job in enumerate(scenario.get('jobs', []))]
        self.controller = scenario.get('controller', 'up')
        self.register_controller(self.controller == 'up')
        skyloop_clock.set_now(scenario['now'])
        os.environ['SKYLOOP_CONTRACT_NOW'] = str(scenario['now'])  # for the controller's processes
        results = []
        for command in scenario['commands']:
            user = command.get('user', next(iter(users)))
            env = {'SKYPILOT_USER_ID': users[user], 'SKYPILOT_USER': user, 'USER': user, 'LOGNAME': user,
                   'SKYLOOP_CONTRACT_NOW': str(scenario['now'])}
            results.append(self.run_cli(command['argv'], env, command.get('timeout', 600)))
        self.stop_workers()
        self.stop_standins()
        return {'id': scenario['id'], 'job_ids': ids, 'results': results}


_MARK = 'SKYLOOP_CONTRACT_HARNESS'


def _end_stray_processes():
    """Ends every process this harness started that is still alive (the controller VM shuts down with it).

    Processes the "controller VM" starts detach from the harness (SkyPilot's subprocess_daemon double-forks and
    outlives its parent by up to 30 s; a queued job's driver runs in its own session), so neither the process
    group nor PR_SET_PDEATHSIG reaches them: each carries the harness's mark in its environment instead.
    """
    # pylint: disable=import-outside-toplevel
    import psutil
    mark = os.environ[_MARK]
    for proc in psutil.process_iter():
        if proc.pid == os.getpid():
            continue
        with contextlib.suppress(psutil.Error):
            if proc.environ().get(_MARK) == mark:
                proc.kill()


def main():
    _die_with_parent()
    os.environ[_MARK] = str(os.getpid())
    batch = json.load(sys.stdin)
    # Results go to the original stdout; anything SkyPilot prints outside a command goes to stderr.
    real_stdout = os.fdopen(os.dup(1), 'w', encoding='utf-8')
    os.dup2(2, 1)
    try:
        harness = Harness()
        out = {'version': harness.version, 'scenarios': [harness.run_scenario(s) for s in batch]}
    finally:
        _end_stray_processes()
    json.dump(out, real_stdout)
    real_stdout.close()


if __name__ == '__main__':
    with contextlib.suppress(BrokenPipeError):
        main()
