using System.Text;

namespace Incidents.Simulators.Seeding;

/// <summary>Deterministic incident-chat prose of 100–300 characters.</summary>
internal sealed class SeedText(Random random)
{
    private static readonly string[] Subjects =
    [
        "The API gateway", "checkout-service", "The Postgres primary", "The payment worker", "The Redis cluster", "ingress-nginx",
        "The search indexer", "Node pool b", "The CDN edge in fra1", "The auth service", "The nightly export job", "Kafka consumer group billing",
    ];

    private static readonly string[] Predicates =
    [
        "is returning 502s again", "shows p99 latency above 2s", "restarted three times in ten minutes", "looks healthy since the rollback",
        "has a queue depth of 48k and growing", "is throttling writes", "failed its readiness probe", "was rolled back to v1.42.3",
        "is at 97% CPU on two of five pods", "stopped emitting metrics at 10:41 UTC", "is answering but very slowly", "recovered after the failover",
    ];

    private static readonly string[] Remarks =
    [
        "Looking at the dashboards now.", "I'll page the on-call DBA.", "Can someone confirm from eu-west?",
        "Graph: https://grafana.example.com/d/abc123/overview?orgId=1&from=now-1h", "Error rate is about 4.2% since the deploy.",
        "`kubectl rollout status deploy/checkout` says 3/5 ready.", "Support has five customer reports so far.",
        "Mitigation: scaled the pool from 6 to 12 replicas.", "cc @bob @carol", "Root cause might be the config push at 10:37.",
        "Status page updated.", "I'm holding the deploy train until we know more.", "Runbook: https://runbooks.example.com/checkout#degraded",
        "Logs show `connection reset by peer` from the upstream.", "@dave can you take the customer comms?", "No data loss as far as I can tell.",
    ];

    public string Next()
    {
        var target = random.Next(100, 301);
        var text = new StringBuilder(320);
        while (text.Length < target)
        {
            var sentence = text.Length == 0 || random.Next(3) == 0
                ? $"{Subjects[random.Next(Subjects.Length)]} {Predicates[random.Next(Predicates.Length)]}."
                : Remarks[random.Next(Remarks.Length)];
            if (text.Length >= 100 && text.Length + 1 + sentence.Length > 300)
            {
                break;
            }

            text.Append(text.Length == 0 ? "" : " ").Append(sentence);
        }

        return text.ToString();
    }
}
