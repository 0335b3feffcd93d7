//! The database-backed job queue on SQLite and (with TEST_DATABASE_URL) PostgreSQL: two workers
//! — each on its own connection pool, as two server replicas are — never run the same job twice;
//! failures are retried with backoff; a job whose worker died is taken over after its lease.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed unwrap is a failed test")]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use connectors::worker::{JobHandler, Worker, WorkerOptions};
use store::sea_orm::ConnectionTrait;
use store::sync::entities::job;
use store::sync::{Finished, NewJob};
use time::{Duration, OffsetDateTime};

/// Records who ran which job, and fails each job's first `fail_first` attempts.
#[derive(Default)]
struct Recorder {
    runs: Mutex<Vec<(uuid::Uuid, String)>>,
    running: Mutex<HashMap<uuid::Uuid, usize>>,
    overlaps: Mutex<usize>,
    fail_first: i32,
}

struct Named(Arc<Recorder>, String);

#[async_trait::async_trait]
impl JobHandler for Named {
    async fn run(&self, job: &job::Model) -> Result<(), String> {
        {
            let mut running = self.0.running.lock().unwrap();
            let n = running.entry(job.id).or_insert(0);
            *n += 1;
            if *n > 1 {
                *self.0.overlaps.lock().unwrap() += 1;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        self.0.runs.lock().unwrap().push((job.id, self.1.clone()));
        *self.0.running.lock().unwrap().get_mut(&job.id).unwrap() -= 1;
        if job.attempts <= self.0.fail_first { Err(format!("attempt {} fails", job.attempts)) } else { Ok(()) }
    }
}

fn one_off(key: String) -> NewJob {
    NewJob {
        key,
        kind: "test".into(),
        payload: "{}".into(),
        run_at: OffsetDateTime::now_utc() - Duration::seconds(1),
        max_attempts: 3,
        every_seconds: None,
    }
}

async fn two_workers(backend: &str) {
    let (store, url) = store::test_db::fresh(backend).await.unwrap();
    // A second pool on the same database: another replica.
    let replica = store::Store::connect(&url).await.unwrap();
    let jobs = 60;
    for i in 0..jobs {
        assert!(store.enqueue_job(one_off(format!("test:{i}"))).await.unwrap());
    }
    // The same key again is not a second job.
    assert!(!store.enqueue_job(one_off("test:0".into())).await.unwrap());
    let recorder = Arc::new(Recorder::default());
    let mut tasks = Vec::new();
    for (name, db) in [("a", store.clone()), ("b", replica.clone()), ("c", store.clone()), ("d", replica.clone())] {
        let worker = Worker::new(db, Arc::new(Named(recorder.clone(), name.into())), WorkerOptions::new(name));
        tasks.push(tokio::spawn(async move {
            let mut ran = 0;
            while let Some((_, finished)) = worker.run_once().await.unwrap() {
                assert_eq!(finished, Finished::Recorded);
                ran += 1;
            }
            ran
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    let runs = recorder.runs.lock().unwrap().clone();
    assert_eq!(total, jobs, "{backend}");
    assert_eq!(runs.len(), jobs, "{backend}: every job ran once");
    let mut ids: Vec<_> = runs.iter().map(|(id, _)| *id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), jobs, "{backend}: no job ran twice");
    assert_eq!(*recorder.overlaps.lock().unwrap(), 0, "{backend}: no job ran on two workers at once");
    let workers: std::collections::HashSet<_> = runs.iter().map(|(_, w)| w.clone()).collect();
    assert!(workers.len() >= 2, "{backend}: the work was shared: {workers:?}");
    assert!(store.jobs().await.unwrap().iter().all(|j| j.state == "done" && j.attempts == 1 && j.runs == 1), "{backend}");
    replica.db().clone().close().await.unwrap();
    store.db().clone().close().await.unwrap();
    store::test_db::remove(&url).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_workers_never_run_the_same_job_twice() {
    for backend in store::test_db::backends() {
        two_workers(backend).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_back_off_and_give_up_and_leases_expire() {
    for backend in store::test_db::backends() {
        let (store, url) = store::test_db::fresh(backend).await.unwrap();
        let recorder = Arc::new(Recorder { fail_first: 5, ..Recorder::default() });
        let worker = Worker::new(store.clone(), Arc::new(Named(recorder.clone(), "w".into())), WorkerOptions::new("w"));
        store.enqueue_job(one_off("flaky".into())).await.unwrap();
        // First attempt fails: queued again 30 s later, the error kept.
        let (job, _) = worker.run_once().await.unwrap().unwrap();
        let after = store.job(job.id).await.unwrap().unwrap();
        assert_eq!((after.state.as_str(), after.attempts), ("queued", 1), "{backend}");
        assert!(after.last_error.as_deref().unwrap().contains("attempt 1"));
        let wait = after.next_run_at - OffsetDateTime::now_utc();
        assert!(wait > Duration::seconds(20) && wait <= Duration::seconds(30), "{backend}: backoff {wait}");
        assert!(worker.run_once().await.unwrap().is_none(), "not due yet");
        // Third failure of three attempts: failed for good.
        for _ in 0..2 {
            store.db().execute_unprepared("UPDATE job SET next_run_at = created_at").await.unwrap();
            worker.run_once().await.unwrap().unwrap();
        }
        let failed = store.job(job.id).await.unwrap().unwrap();
        assert_eq!((failed.state.as_str(), failed.attempts), ("failed", 3), "{backend}");

        // A worker that died holding a job: another takes it after the lease.
        store.enqueue_job(one_off("orphan".into())).await.unwrap();
        let now = OffsetDateTime::now_utc();
        let held = store.claim_job("dead", Duration::seconds(30), now).await.unwrap().unwrap();
        assert!(store.claim_job("alive", Duration::seconds(30), now).await.unwrap().is_none(), "{backend}: leased");
        let later = now + Duration::seconds(31);
        let taken = store.claim_job("alive", Duration::seconds(30), later).await.unwrap().unwrap();
        assert_eq!((taken.id, taken.attempts), (held.id, 2));
        // The dead worker's late report changes nothing.
        assert_eq!(store.finish_job(&held, "dead", Ok(()), later).await.unwrap(), Finished::LeaseLost);
        assert_eq!(store.finish_job(&taken, "alive", Ok(()), later).await.unwrap(), Finished::Recorded);

        // A recurring job goes back to the queue after each run, errors or not.
        store.ensure_recurring_job(NewJob { every_seconds: Some(60), ..one_off("import:fk".into()) }).await.unwrap();
        store.ensure_recurring_job(NewJob { every_seconds: Some(60), ..one_off("import:fk".into()) }).await.unwrap();
        let recurring = store.claim_job("w", Duration::seconds(30), OffsetDateTime::now_utc()).await.unwrap().unwrap();
        assert_eq!(recurring.job_key, "import:fk");
        store.finish_job(&recurring, "w", Ok(()), OffsetDateTime::now_utc()).await.unwrap();
        let next = store.job(recurring.id).await.unwrap().unwrap();
        assert_eq!((next.state.as_str(), next.attempts, next.runs), ("queued", 0, 1), "{backend}");
        assert!(next.next_run_at - OffsetDateTime::now_utc() > Duration::seconds(50));
        assert_eq!(store.jobs().await.unwrap().iter().filter(|j| j.job_key == "import:fk").count(), 1);
        store.db().clone().close().await.unwrap();
        store::test_db::remove(&url).await.unwrap();
    }
}

/// The integration's jobs through the worker: installing them twice keeps one of each, the import
/// job reads the source, the export job runs, and both are queued for their next run.
#[tokio::test(flavor = "multi_thread")]
async fn the_sync_jobs_run_through_the_worker() {
    use connectors::config::SourceConfig;
    use connectors::contract::{Change, Entity, Payload, Row, Taxpayer};
    use connectors::worker::SyncJobs;

    for backend in store::test_db::backends() {
        let (store, url) = store::test_db::fresh(backend).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        connectors::file::write_contract(dir.path()).unwrap();
        let taxpayer = Row::Taxpayer(Taxpayer {
            kind: "legal".into(),
            name: "Spółdzielnia „Łąka”".into(),
            first_name: None,
            last_name: None,
            pesel: None,
            nip: Some("5250001233".into()),
            regon: None,
            street: "ul. Przemysłowa 3".into(),
            postal_code: "36-065".into(),
            city: "Przykładowo".into(),
        });
        connectors::file::write_view(
            dir.path(),
            Entity::Taxpayers,
            &[Change { source_id: "F-1".into(), row_version: 1, modified_at: None, payload: Payload::Upsert(taxpayer) }],
        )
        .unwrap();
        let config = SourceConfig::file("odpady", dir.path());
        let connector = config.connector().unwrap();
        let jobs = SyncJobs::new(store.clone(), vec![(config.clone(), connector.clone())]);
        jobs.install().await.unwrap();
        SyncJobs::new(store.clone(), vec![(config, connector)]).install().await.unwrap();
        assert_eq!(store.jobs().await.unwrap().iter().map(|j| j.job_key.as_str()).collect::<Vec<_>>(), ["export:odpady", "import:odpady"]);
        let worker = Worker::new(store.clone(), Arc::new(jobs), WorkerOptions::new("replica-1"));
        let mut ran = Vec::new();
        while let Some((job, finished)) = worker.run_once().await.unwrap() {
            assert_eq!(finished, Finished::Recorded);
            ran.push(job.job_key);
        }
        ran.sort();
        assert_eq!(ran, ["export:odpady", "import:odpady"], "{backend}");
        for job in store.jobs().await.unwrap() {
            assert_eq!((job.state.as_str(), job.runs, job.last_error.as_deref()), ("queued", 1, None), "{backend}: {job:?}");
        }
        let source = store.sync_source("odpady").await.unwrap().unwrap();
        assert_eq!((source.kind.as_str(), source.contract_version.as_deref()), ("file", Some("1.0")));
        let status = store.sync_statuses().await.unwrap();
        assert!(status.iter().any(|s| s.entity == "taxpayers" && s.rows_changed == 1), "{backend}: {status:?}");
        store.db().clone().close().await.unwrap();
        store::test_db::remove(&url).await.unwrap();
    }
}
