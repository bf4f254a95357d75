-- Push reasons became an enum (sync/protocol PushReasonSchema): an op that does not match the protocol
-- is REJECTED with reason `invalid_op` and says what is wrong in `detail`, no longer in the reason
-- itself ("invalid_op: <detail>"). Results stored that way are sent again on every replay, so they are
-- rewritten (through jsonb: key order and spacing may change, the content does not).
UPDATE "ops" SET "result" = ("result"::jsonb || jsonb_build_object('reason', 'invalid_op', 'detail', substr("result"::jsonb ->> 'reason', 13)))::text
  WHERE "outcome" = 'REJECTED' AND starts_with("result"::jsonb ->> 'reason', 'invalid_op: ');
