//! A small SMTP server on loopback that records what it receives, for the mail tests.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use server::config::{MailSettings, MailTransport};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
};

/// One message as the sink received it.
#[derive(Clone, Debug)]
pub struct Envelope {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub data: String,
}

/// What the sink answers to `RCPT TO`.
#[derive(Clone, Copy)]
pub enum Recipients {
    Accept,
    RefuseAll,
}

/// An SMTP server on 127.0.0.1 that speaks just enough of RFC 5321 for one client: greeting,
/// EHLO/HELO (no extensions, so no STARTTLS and no AUTH), MAIL, RCPT, DATA, RSET, NOOP, QUIT.
pub struct SmtpSink {
    pub addr: SocketAddr,
    messages: Arc<Mutex<Vec<Envelope>>>,
    commands: Arc<Mutex<Vec<String>>>,
}

impl SmtpSink {
    pub async fn start(recipients: Recipients) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind sink");
        let addr = listener.local_addr().expect("sink address");
        let messages = Arc::new(Mutex::new(Vec::new()));
        let commands = Arc::new(Mutex::new(Vec::new()));
        let (m, c) = (messages.clone(), commands.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve_connection(stream, recipients, m.clone(), c.clone()));
            }
        });
        Self {
            addr,
            messages,
            commands,
        }
    }

    pub fn settings(&self, username: Option<&str>, password: Option<&str>) -> MailSettings {
        MailSettings {
            from: "Tasks <no-reply@tasks.test>".to_owned(),
            transport: MailTransport::Smtp {
                host: "127.0.0.1".to_owned(),
                port: self.addr.port(),
                username: username.map(str::to_owned),
                password: password.map(str::to_owned),
            },
        }
    }

    pub fn messages(&self) -> Vec<Envelope> {
        self.messages.lock().expect("lock").clone()
    }

    pub fn commands(&self) -> Vec<String> {
        self.commands.lock().expect("lock").clone()
    }
}

async fn serve_connection(
    stream: TcpStream,
    recipients: Recipients,
    messages: Arc<Mutex<Vec<Envelope>>>,
    commands: Arc<Mutex<Vec<String>>>,
) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let mut envelope = Envelope {
        mail_from: String::new(),
        rcpt_to: Vec::new(),
        data: String::new(),
    };
    let _ = write.write_all(b"220 sink.test ESMTP\r\n").await;
    while let Ok(Some(line)) = lines.next_line().await {
        commands.lock().expect("lock").push(line.clone());
        let verb = line.get(..4).unwrap_or(&line).to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250 sink.test\r\n",
            "MAIL" => {
                envelope.mail_from = angle_address(&line);
                b"250 OK\r\n"
            }
            "RCPT" => match recipients {
                Recipients::Accept => {
                    envelope.rcpt_to.push(angle_address(&line));
                    b"250 OK\r\n"
                }
                Recipients::RefuseAll => b"550 No such user here\r\n",
            },
            "DATA" => {
                let _ = write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await;
                let mut data = Vec::new();
                while let Ok(Some(data_line)) = lines.next_line().await {
                    if data_line == "." {
                        break;
                    }
                    // RFC 5321 section 4.5.2: the client doubled every leading dot, so the
                    // receiver drops the first one.
                    data.push(data_line.strip_prefix('.').unwrap_or(&data_line).to_owned());
                }
                envelope.data = data.join("\r\n");
                messages.lock().expect("lock").push(envelope.clone());
                b"250 OK: queued\r\n"
            }
            "RSET" => {
                envelope.rcpt_to.clear();
                b"250 OK\r\n"
            }
            "NOOP" => b"250 OK\r\n",
            "QUIT" => {
                let _ = write.write_all(b"221 Bye\r\n").await;
                return;
            }
            _ => b"502 Command not implemented\r\n",
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

/// `MAIL FROM:<a@b>` → `a@b`.
fn angle_address(line: &str) -> String {
    let start = line.find('<').map_or(0, |i| i + 1);
    let end = line.rfind('>').unwrap_or(line.len());
    line[start..end].to_owned()
}
