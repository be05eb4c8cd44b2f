"""One campaign whose every call event goes to a webhook at BASE/hook (BASE: the receiver)."""

CONFIG = """
timezone: UTC
targets:
  sales: {dial: "PJSIP/sales@pbx"}
campaigns:
  spring:
    routing: {strategy: priority, targets: [{target: sales}]}
    conversion: {min_duration: 60}
    webhooks:
      - on: [call.started, call.answered, call.completed, call.converted]
        url: "BASE/hook"
    numbers: {"+18005550101": {}}
"""
