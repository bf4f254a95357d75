ALTER TABLE "tills" ADD COLUMN "pairing_code_hash" text;--> statement-breakpoint
ALTER TABLE "tills" ADD COLUMN "pairing_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tills" ADD CONSTRAINT "tills_pairing_code_hash_unique" UNIQUE("pairing_code_hash");