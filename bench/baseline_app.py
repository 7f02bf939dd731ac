"""The baseline of the intake write path: a bare Flask + marshmallow + SQLAlchemy endpoint.

``POST /clients`` validates the same body intake accepts (a client, family contacts and
consent) with marshmallow, inserts the client and its contacts in one transaction and
answers 201 with the stored record. No token, no encryption, no blind indexes, no audit
entry, no outbox event: what is left is the floor a Flask + SQLite service cannot go below.
SQLite is set up exactly as ``shared/db.py`` sets it up (WAL, busy timeout,
synchronous=NORMAL, ``BEGIN IMMEDIATE``), so the storage engine is not what differs.

    BASELINE_DATABASE_URL=sqlite:////tmp/x.sqlite gunicorn "bench.baseline_app:create_app()"
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

import marshmallow as ma
from flask import Flask, jsonify, request
from marshmallow import fields as f
from marshmallow import validate as v
from sqlalchemy import Boolean, ForeignKey, String, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, sessionmaker


class Base(DeclarativeBase):
    pass


class Client(Base):
    __tablename__ = "clients"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    nik: Mapped[str | None] = mapped_column(String(16), unique=True)
    date_of_birth: Mapped[str | None] = mapped_column(String(10))
    sex: Mapped[str | None] = mapped_column(String(8))
    phone: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(500))
    primary_substances: Mapped[str] = mapped_column(String(600))
    use_duration_months: Mapped[int | None]
    route_of_use: Mapped[str | None] = mapped_column(String(16))
    referral_source: Mapped[str | None] = mapped_column(String(16))
    consent_contact_family: Mapped[bool] = mapped_column(Boolean)
    consent_share_progress: Mapped[bool] = mapped_column(Boolean)
    consent_given_by: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    family_contacts: Mapped[list[FamilyContact]] = relationship()


class FamilyContact(Base):
    __tablename__ = "family_contacts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    relationship_: Mapped[str] = mapped_column("relationship", String(40))
    phone: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    may_contact: Mapped[bool] = mapped_column(Boolean)


class Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class ContactIn(Strict):
    name = f.String(required=True, validate=v.Length(max=120))
    relationship = f.String(required=True, validate=v.Length(max=40))
    phone = f.String(allow_none=True, validate=v.Regexp(r"^[0-9 +()-]{6,32}$"))
    email = f.Email(allow_none=True)
    channel = f.String(required=True, validate=v.OneOf(("sms", "whatsapp", "email")))
    locale = f.String(load_default="id", validate=v.OneOf(("id", "en")))
    may_contact = f.Boolean(load_default=True)


class ConsentIn(Strict):
    contact_family = f.Boolean(load_default=False)
    share_progress = f.Boolean(load_default=False)
    given_by = f.String(load_default="client", validate=v.OneOf(("client", "guardian")))


class ReferralIn(Strict):
    source = f.String(required=True)
    compulsory = f.Boolean(load_default=False)


class ClientIn(Strict):
    full_name = f.String(required=True, validate=v.Length(min=1, max=200))
    nik = f.String(allow_none=True, validate=v.Regexp(r"^\d{16}$"))
    date_of_birth = f.Date(allow_none=True)
    sex = f.String(allow_none=True, validate=v.OneOf(("male", "female")))
    phone = f.String(allow_none=True, validate=v.Regexp(r"^[0-9 +()-]{6,32}$"))
    address = f.String(allow_none=True, validate=v.Length(max=500))
    primary_substances = f.List(f.String(validate=v.Length(max=60)), load_default=list)
    use_duration_months = f.Integer(allow_none=True)
    route_of_use = f.String(allow_none=True)
    referral = f.Nested(ReferralIn, allow_none=True)
    family_contacts = f.List(f.Nested(ContactIn), load_default=list)
    consent = f.Nested(ConsentIn, load_default=dict)


class ContactOut(ma.Schema):
    id = f.String()
    name = f.String()
    relationship = f.String(attribute="relationship_")
    phone = f.String()
    channel = f.String()
    may_contact = f.Boolean()


class ClientOut(ma.Schema):
    id = f.String()
    full_name = f.String()
    date_of_birth = f.String()
    phone = f.String()
    created_at = f.AwareDateTime()
    family_contacts = f.List(f.Nested(ContactOut))


def make_engine(url: str):
    """SQLite exactly as ``shared/db.py`` configures it."""
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def init_db(url: str) -> None:
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()


def create_app() -> Flask:
    app = Flask("baseline")
    engine = make_engine(os.environ["BASELINE_DATABASE_URL"])
    sessions = sessionmaker(engine, expire_on_commit=False)
    client_in, client_out = ClientIn(), ClientOut()

    @app.post("/clients")
    def create_client():
        try:
            data = client_in.load(request.get_json())
        except ma.ValidationError as exc:
            return jsonify(errors=exc.messages), 422
        consent = data["consent"]
        client = Client(
            id=str(uuid.uuid4()),
            full_name=data["full_name"],
            nik=data.get("nik"),
            date_of_birth=d.isoformat() if (d := data.get("date_of_birth")) else None,
            sex=data.get("sex"),
            phone=data.get("phone"),
            address=data.get("address"),
            primary_substances=",".join(data["primary_substances"]),
            use_duration_months=data.get("use_duration_months"),
            route_of_use=data.get("route_of_use"),
            referral_source=(data.get("referral") or {}).get("source"),
            consent_contact_family=consent.get("contact_family", False),
            consent_share_progress=consent.get("share_progress", False),
            consent_given_by=consent.get("given_by", "client"),
            created_at=datetime.now(UTC),
            family_contacts=[
                FamilyContact(
                    id=str(uuid.uuid4()),
                    name=c["name"],
                    relationship_=c["relationship"],
                    phone=c.get("phone"),
                    channel=c["channel"],
                    may_contact=c["may_contact"],
                )
                for c in data["family_contacts"]
            ],
        )
        with sessions.begin() as session:
            session.add(client)
        return jsonify(client_out.dump(client)), 201

    @app.get("/health")
    def health():
        return {"status": "ok"}

    return app
