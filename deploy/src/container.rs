//! What a `container` is in one environment (LANGUAGE.md §10.6): its size per replica, its
//! replica range and exposure, with the catalog's defaults, and whether the platform offers
//! that size.

use plan_ir::{EnvAttrs, Value, ValueKind};

#[derive(Debug, Clone, PartialEq)]
pub struct Container {
    /// Millicores per replica.
    pub cpu: u64,
    /// Bytes per replica.
    pub memory: u64,
    pub replicas: (i64, i64),
    pub port: Option<i64>,
    pub expose: String,
}

const GIB: u64 = 1 << 30;
const MIB: u64 = 1 << 20;

pub fn container(attrs: &EnvAttrs<'_>) -> Container {
    let cpu = match attrs.get("cpu").map(|it| &it.kind) {
        Some(ValueKind::Cpu(millis)) => *millis,
        _ => 500,
    };
    let memory =
        super::size_bytes(attrs.get("memory")).or_else(|| super::default_size("container", "memory")).unwrap_or(GIB);
    let replicas = super::int_range(attrs.get("replicas")).unwrap_or((1, 1));
    let port = attrs.get("port").and_then(Value::as_int);
    let expose = attrs
        .get("expose")
        .and_then(Value::as_str)
        .or_else(|| super::default_text("container", "expose"))
        .unwrap_or("internal")
        .to_string();
    Container { cpu, memory, replicas, port, expose }
}

/// Whether `cloud` runs a replica of this size, and if not, what it offers instead.
pub fn size_offered(cloud: &str, cpu: u64, memory: u64) -> Result<(), String> {
    let gib = |bytes: u64| bytes as f64 / GIB as f64;
    match cloud {
        "aws" => {
            // Fargate's table: vCPU to the memory it pairs with, in MiB (from, to, step).
            let table: &[(u64, u64, u64, u64)] = &[
                (256, 512, 2048, 0),
                (512, 1024, 4096, 1024),
                (1024, 2048, 8192, 1024),
                (2048, 4096, 16384, 1024),
                (4096, 8192, 30720, 1024),
                (8192, 16384, 61440, 4096),
                (16384, 32768, 122880, 8192),
            ];
            let units = cpu * 1024 / 1000;
            let Some((_, low, high, step)) = table.iter().find(|(it, ..)| *it == units) else {
                return Err("Fargate runs 0.25, 0.5, 1, 2, 4, 8 or 16 vCPU per task".into());
            };
            let mib = memory / MIB;
            let fits = memory % MIB == 0
                && if units == 256 {
                    [512, 1024, 2048].contains(&mib)
                } else {
                    mib >= *low && mib <= *high && (mib - low) % step == 0
                };
            if fits {
                Ok(())
            } else {
                Err(match units {
                    256 => "Fargate pairs 0.25 vCPU with 0.5, 1 or 2 GiB of memory".to_string(),
                    _ => format!(
                        "Fargate pairs {} vCPU with {} to {} GiB of memory in steps of {} GiB",
                        cpu as f64 / 1000.0,
                        *low as f64 / 1024.0,
                        *high as f64 / 1024.0,
                        *step as f64 / 1024.0
                    ),
                })
            }
        }
        "azure" => {
            let quarters = cpu / 250;
            if cpu % 250 != 0 || !(1..=16).contains(&quarters) {
                return Err("Container Apps run 0.25 to 4 vCPU per replica, in steps of 0.25".into());
            }
            if memory == cpu * 2 * GIB / 1000 {
                Ok(())
            } else {
                Err(format!(
                    "Container Apps pair {} vCPU with {} GiB of memory (twice the vCPUs)",
                    cpu as f64 / 1000.0,
                    cpu as f64 * 2.0 / 1000.0
                ))
            }
        }
        _ => {
            if ![1000, 2000, 4000, 8000].contains(&cpu) {
                return Err("Cloud Run with CPU always allocated runs 1, 2, 4 or 8 vCPU per instance".into());
            }
            let most = cpu / 1000 * 4 * GIB;
            if memory >= 512 * MIB && memory <= most && memory % MIB == 0 {
                Ok(())
            } else {
                Err(format!("Cloud Run gives {} vCPU 512 MiB to {} GiB of memory, in whole MiB", cpu / 1000, gib(most)))
            }
        }
    }
}
